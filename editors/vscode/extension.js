// A minimal VS Code client for `modlint lsp`: it starts the server over stdio for
// Markdown files and passes the settings as initializationOptions. Everything else
// (diagnostics, hover, quick fixes, configuration reload: the server asks VS Code to
// watch .modlint.yaml and pyproject.toml itself) is the server's.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("modlint");
  const [command, ...args] = settings.get("command", ["modlint", "lsp"]);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    initializationOptions: {
      debounceMs: settings.get("debounceMs", 200),
      config: settings.get("config", "") || undefined,
    },
  };
  client = new LanguageClient("modlint", "modlint", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("modlint") && client) {
        client.restart();
      }
    })
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
