"""Stage 2, model: the syntax tree resolved into deliverables, routes, groups and phases
(``core``) and its graph (``graph``)."""
