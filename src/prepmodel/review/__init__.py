"""Code review: the formatter (``fmt``) and the semantic diff (``diff``, ``match``,
``report``, ``diff_dot``)."""
