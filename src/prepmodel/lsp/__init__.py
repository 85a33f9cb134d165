"""Stage `lsp`: the language server (`prep lsp`) on pygls. ``server`` wires the protocol;
the other modules are pure functions from a document and a position to LSP data, so they
can be tested and reused without a client."""
