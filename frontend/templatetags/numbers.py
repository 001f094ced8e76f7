"""`{% load numbers %}`: the display filters of steward/formatting.py for templates.

`{{ value|quantity:"t" }}` grouped with the unit's decimals, `{{ value|plain }}` for inputs, `{{ total|wan_tonnes }}`,
`{{ rate|percent }}`, `{{ moment|beijing }}`.
"""

from django import template

from steward import formatting

register = template.Library()

register.filter("quantity", formatting.quantity)
register.filter("plain", formatting.plain)
register.filter("tonnes", formatting.tonnes)
register.filter("wan_tonnes", formatting.wan_tonnes)
register.filter("percent", formatting.percent)
register.filter("beijing", formatting.beijing)
