"""Server-rendered pages (Jinja2): the staff UI and the public pages."""
