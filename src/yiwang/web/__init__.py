"""The web shell, above accounts and audit: the admin site with its per-role model admins, the page
helpers (``require``), and the API's authentication and error handling. Contexts' pages, API routers and
admin modules build on it; ``yiwang.core`` (plain utilities) and the domain modules of ``accounts`` and
``audit`` never import it (docs/adr/0005-layers.md)."""
