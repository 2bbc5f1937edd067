"""`heelcoach report`: `data` words the facts into the report's one shape, `charts` turns
its weeks into chart geometry, `render` fills the Jinja2 templates."""
