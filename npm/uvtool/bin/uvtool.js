#!/usr/bin/env node
// Runs the uvtool binary for this platform. The binary comes in a package of
// its own per platform (@uvtool/linux-x64, ...), listed in this package's
// optionalDependencies with `os` and `cpu` fields, so npm installs only the
// one that fits. Arguments, stdin/stdout/stderr, the exit code and signals
// pass through unchanged.
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

// Platform packages published for `${process.platform}-${process.arch}`.
const PACKAGES = {
  "linux-x64": "@uvtool/linux-x64",
  "linux-arm64": "@uvtool/linux-arm64",
};

function binaryPath() {
  // UVTOOL_BINARY: a uvtool built elsewhere (cargo install, a release archive).
  if (process.env.UVTOOL_BINARY) {
    return process.env.UVTOOL_BINARY;
  }
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PACKAGES[platform];
  if (!pkg) {
    fail(
      `uvtool has no prebuilt binary for ${platform} (there are: ${Object.keys(PACKAGES).join(", ")}).\n` +
        "Build it with Rust (cargo install --locked --path . in a clone) and set UVTOOL_BINARY to its path."
    );
  }
  let file;
  try {
    file = require.resolve(`${pkg}/bin/uvtool`);
  } catch (e) {
    fail(
      `the package ${pkg}, which holds uvtool's binary for ${platform}, is not installed.\n` +
        "It is an optional dependency of uvtool: installing with --no-optional or --omit=optional, " +
        "or copying node_modules from another platform, leaves it out.\n" +
        "Reinstall with optional dependencies (npm install uvtool), or set UVTOOL_BINARY to a uvtool binary."
    );
  }
  return file;
}

function fail(message) {
  process.stderr.write(`uvtool (npm): ${message}\n`);
  process.exit(2);
}

const bin = binaryPath();
if (!fs.existsSync(bin)) {
  fail(`the binary ${bin} is missing`);
}

const child = spawn(bin, process.argv.slice(2), { stdio: "inherit" });

// Signals sent to this process go to uvtool (a terminal's Ctrl-C reaches
// both; uvtool's handlers take a second one as the same request).
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];
const handlers = {};
for (const sig of forwarded) {
  handlers[sig] = () => {
    try {
      child.kill(sig);
    } catch (_) {
      // the child has already exited
    }
  };
  process.on(sig, handlers[sig]);
}

child.on("error", (err) => {
  fail(`cannot run ${path.basename(bin)} (${bin}): ${err.message}`);
});

child.on("exit", (code, signal) => {
  for (const sig of forwarded) {
    process.removeListener(sig, handlers[sig]);
  }
  if (signal) {
    // End the same way uvtool did, so a shell or CI sees the signal.
    process.kill(process.pid, signal);
    // A signal whose default action does not end the process.
    process.exit(128 + (require("os").constants.signals[signal] || 0));
  }
  process.exit(code === null ? 1 : code);
});
