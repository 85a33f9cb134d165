"""Stage 3, journey: checkpoints every route passes, the routes between them and the
phase-major step numbers (``core``)."""
