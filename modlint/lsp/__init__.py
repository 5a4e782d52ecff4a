"""The language server (``modlint lsp``): lint the unsaved buffer in process.

:mod:`modlint.lsp.service` holds the editor-independent logic (configuration per
document, linting a buffer, positions, suppression edits, hover text) and imports
neither pygls nor lsprotocol; :mod:`modlint.lsp.server` wires it to the Language
Server Protocol. Nothing here is imported by ``modlint check``, so its start-up
does not pay for pygls.
"""
