/** SkillsErrors for server failures, each naming the server, the command and the end of its stderr. */
import { SkillsError } from "../../errors.js";
import { commandLine, type ServerConfig } from "../config.js";
import { MCP_ERROR, isMcpError } from "./sdk.js";

/** The command line or URL as written in .mcp.json, `${VAR}` unexpanded: a variable's value may be a secret. */
export function describeCommand(config: ServerConfig): string {
  if (config.shown !== undefined) return config.shown;
  return config.type === "http" ? config.url : commandLine([config.command, ...config.args]);
}

function withStderr(message: string, stderr: string[]): string {
  if (stderr.length === 0) return message;
  return `${message}\n  last lines of its stderr:\n${stderr.map((line) => `    ${line}`).join("\n")}`;
}

export function startFailed(
  config: ServerConfig,
  reason: string,
  stderr: string[],
  extra: { timeout?: boolean; cause?: unknown } = {},
): SkillsError {
  const command = describeCommand(config);
  const hint = extra.timeout
    ? `the server did not finish the MCP handshake; check that \`${command}\` speaks MCP on stdio, or raise "timeout" in .mcp.json`
    : config.type === "stdio"
      ? `run \`${command}\` by hand to see why it fails; check "command" and "args" of "${config.name}" in .mcp.json`
      : `check that ${command} is an MCP endpoint (Streamable HTTP) and that the headers are right`;
  return new SkillsError(
    "SERVER_START_FAILED",
    withStderr(`server "${config.name}" failed to start (${command}): ${reason}`, stderr),
    { server: config.name, command, stderr, reason: extra.timeout ? "timeout" : "failed", hint },
    { cause: extra.cause },
  );
}

export function callFailed(config: ServerConfig, tool: string, error: unknown, stderr: string[]): SkillsError {
  const message = error instanceof Error ? error.message : String(error);
  if (isMcpError(error, MCP_ERROR.requestTimeout)) {
    return new SkillsError(
      "SERVER_TIMEOUT",
      withStderr(`server "${config.name}" did not answer ${tool} in time: ${message}`, stderr),
      { server: config.name, tool, stderr, hint: "raise the call timeout, or check the server" },
      { cause: error },
    );
  }
  const closed = isMcpError(error, MCP_ERROR.connectionClosed);
  return new SkillsError(
    "TOOL_CALL_FAILED",
    withStderr(
      closed
        ? `server "${config.name}" closed the connection during ${tool}`
        : `${config.name}/${tool} failed: ${message}`,
      closed ? stderr : [],
    ),
    {
      server: config.name,
      tool,
      stderr,
      hint: closed
        ? "the server process ended; its stderr above says why"
        : "check the arguments against the tool's schema",
    },
    { cause: error },
  );
}

export function protocolError(config: ServerConfig, what: string, error: unknown): SkillsError {
  const message = error instanceof Error ? error.message : String(error);
  return new SkillsError(
    "SERVER_PROTOCOL",
    `server "${config.name}" sent an invalid answer to ${what}: ${firstLines(message, 6)}`,
    {
      server: config.name,
      command: describeCommand(config),
      hint: "the server does not follow the MCP schema; report it to its authors",
    },
    { cause: error },
  );
}

function firstLines(text: string, count: number): string {
  const lines = text.split("\n");
  return lines.length <= count ? text : `${lines.slice(0, count).join("\n")}\n  ...`;
}
