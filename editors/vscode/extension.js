// The PReP extension: starts `prep lsp` (the language server shipped with prepmodel) for
// .prep files, and offers two commands: restart the server, open the live preview.
"use strict";

const vscode = require("vscode");
const { execFile } = require("child_process");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("prep");
  const [command, ...args] = config.get("server.command", ["prep", "lsp"]);
  return { command, args, transport: TransportKind.stdio };
}

function clientOptions() {
  const config = vscode.workspace.getConfiguration("prep");
  return {
    documentSelector: [
      { scheme: "file", language: "prep" },
      { scheme: "untitled", language: "prep" },
    ],
    initializationOptions: { debounceMs: config.get("server.debounceMs", 150) },
    synchronize: {
      // Settings files change the severities: the server checks open files again.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{prep.toml,pyproject.toml}"),
    },
  };
}

async function start(context) {
  client = new LanguageClient("prep", "PReP language server", serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `PReP: could not start the language server (${serverOptions().command} lsp): ${err}. ` +
        "Install prepmodel (pip install prepmodel) or set prep.server.command."
    );
  }
}

function openPreview() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "prep") {
    vscode.window.showInformationMessage("PReP: open a .prep file first.");
    return;
  }
  const [command] = vscode.workspace.getConfiguration("prep").get("server.command", ["prep"]);
  // `prep serve` is a later addition to prepmodel: ask the installed prep whether it has it.
  execFile(command, ["serve", "--help"], (err) => {
    if (err) {
      vscode.window.showInformationMessage(
        "PReP: this version of prep has no live preview (`prep serve`) yet."
      );
      return;
    }
    const terminal = vscode.window.createTerminal("prep serve");
    terminal.sendText(`${command} serve "${editor.document.uri.fsPath}"`);
    terminal.show();
  });
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("prep.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      await start(context);
    }),
    vscode.commands.registerCommand("prep.openPreview", openPreview)
  );
  await start(context);
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate };
