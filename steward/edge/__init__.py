"""Validation at the edge: one place that bounds what a person or a machine sends before it reaches a service.

Shared by the pages, the API, the spreadsheet intake and the `calculate` command:
- `errors`: the refusal shape `{field: [{"code", "message"}]}` and the codes this package gives;
- `numbers`: decimals with a documented range and precision per kind of unit (a table, `BOUNDS`);
- `text`: no NUL, C0/C1 control characters or lone surrogates in text, NFC-normalised;
- `json_body`: JSON read with a size and nesting limit, numbers as Decimal, every string checked;
- `periods`: accounting months between the first reporting year and the current month (Asia/Shanghai);
- `middleware`: the same refusal for paths, query strings and form fields, before any view or query runs.
"""
