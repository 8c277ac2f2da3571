/**
 * The Python tests run generated and analysed code with: the one a run uses (DEFAULT_PYTHON, src/sandbox/runner.ts),
 * not PATH's python3, which may be another version behind a pyenv shim (a bash script that starts some thirty
 * processes, about 150 ms of CPU, at every call).
 */
export const PYTHON = "/usr/bin/python3";
