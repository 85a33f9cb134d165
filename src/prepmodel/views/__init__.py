"""Stage 5, views: tables and reports made from an analysis (checkpoint tables,
diagnostic reports, JSON)."""
