"""Server-rendered pages for enterprises, stewards, the bureau and platform operators (Chinese first).

One package per area, named as the pages are: `carbon/` (sources, a month's figures, results, the control
plan), `filing/` (the monthly filing panel), `pollution/` (permit, outlets, CEMS import, execution reports,
fused inventory), `annual/`, `compliance/`, `oversight/` (portfolio, bureau dashboard, spot checks),
`intake/`, `integrations/` (API tokens, webhooks), `workspace/` (a workspace's home, profile, members,
engagements, evidence, documents) and `public/` (pages outside any workspace: sign-in, role homes,
onboarding, people, inbox, factor library). Each holds its `views.py`, `forms.py` and
`templates/frontend/<area>/` (found through TEMPLATES DIRS, a glob over frontend/*/templates). Shared at this
level: `base.html`, error pages, template tags, labels, context processors, the path converters for years
and months (`converters.py`), the URLconfs and the catalogues (`locale/`).
"""
