"""Quantities on the compliance pages: grouped thousands and fixed decimals, the same in every language
(tonnes are read against allocation notices that print them this way). The formatting is steward/formatting.py's."""

from django import template

from steward import formatting

register = template.Library()

register.filter("tonnes", formatting.tonnes)
