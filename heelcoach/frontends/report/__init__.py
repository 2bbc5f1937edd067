"""`heelcoach report`: a progress report to bring to an appointment.

`data` words the facts `services.report` gathers (names, never ids; sentences from
`words.plan`) into the report's one shape, which `--format json` prints as it is; `charts`
turns its weeks into chart geometry (plain numbers); `render` fills the Jinja2 templates
in `templates/` (HTML with inline SVG charts, and Markdown). Jinja2 is imported only
here, so no other command pays for it.
"""
