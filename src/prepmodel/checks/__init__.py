"""Stage 4, check: the rules (``rules``, one module per code family), the naming lint
(``naming``, ``lexicon``), the project configuration (``config``) and the whole pipeline
from bytes to an :class:`~prepmodel.checks.analysis.Analysis` (``analysis``)."""
