"""Portal views, one small module per area. Views parse input, call a selector or a
service, and render; they hold no business logic."""
