"""The web console's views: thin — check access, call a query or an action, render a template."""
