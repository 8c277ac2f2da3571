/**
 * TypeScript (and JavaScript) usage analysis with the TypeScript compiler API, in process: the files that import the
 * SDK are parsed into one program without the standard library (names resolve through the checker; no types are
 * checked here), and every call of a function imported from `servers/<server>` is followed: the keys of the argument
 * object (with literal values), and the fields of the result that are read. Syntax errors come back as diagnostics.
 */
import type * as TS from "typescript";
import type {
  ArgumentUse,
  CallTarget,
  DataPath,
  FieldRead,
  RawCall,
  RawImport,
  ScalarValue,
  SourceAnalysis,
  SourceDiagnostic,
  Span,
} from "../contracts/compat.js";
import { loadTypeScript } from "./tsLoader.js";

export interface TsSource {
  /** Relative to the skill folder. */
  file: string;
  source: string;
  /** Which skill the file belongs to, when one call analyses the files of several (any string unique per skill). */
  unit?: string;
}

const SDK_MODULE = /^servers\/([^/]+)(?:\/[^/]+?)?(?:\.(?:js|ts|mjs))?$/;
const RUNTIME_MODULE = /^servers\/_runtime(?:\.(?:js|ts))?$/;
const RUNTIME_CALLS = new Set(["callTool"]);
/** Array methods whose callback gets the items. */
const ITEM_CALLBACKS = new Set([
  "map",
  "forEach",
  "filter",
  "find",
  "findLast",
  "some",
  "every",
  "flatMap",
  "findIndex",
  "findLastIndex",
]);
const SAME_COLLECTION = new Set(["filter", "slice", "concat", "reverse", "sort", "toSorted", "toReversed", "flat"]);
const LOOKS = new Set(["includes", "indexOf", "lastIndexOf", "join", "hasOwnProperty", "keys"]);

type Binding =
  | { kind: "func"; module: string; name: string }
  | { kind: "module"; module: string }
  | { kind: "generic" };

/**
 * Every file is parsed on its own; a program (for the checker that resolves names) is built only when a file imports
 * from `servers/`, once for all files of the call: each skill's files sit in a folder of their own, and with
 * `noResolve` no file sees another's imports.
 */
export function analyseTypeScript(sources: TsSource[]): SourceAnalysis[] {
  if (sources.length === 0) return [];
  const ts = loadTypeScript();
  const options: TS.CompilerOptions = {
    noLib: true,
    noResolve: true,
    types: [],
    allowJs: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    noEmit: true,
  };
  const pathOf = (source: TsSource) => `/skill/${source.unit === undefined ? "" : `${source.unit}/`}${source.file}`;
  // A .ts file that never names `servers` imports no SDK: its parse is all there is to its analysis, parsed as a
  // program would (for .ts, the module detection of a plain parse is the program's). Every other file goes to one
  // program: JavaScript gets more syntax checks there (type annotations in a .js file), .mts/.cts are modules by
  // their extension, and SDK imports need the checker to resolve names.
  const alone = new Map<TsSource, TS.SourceFile>();
  for (const source of sources) {
    if (!/\.ts$/.test(source.file) || source.source.includes("servers")) continue;
    const parsed = ts.createSourceFile(pathOf(source), source.source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    if (Array.isArray(parseDiagnostics(parsed))) alone.set(source, parsed);
  }
  const files = new Map(sources.filter((source) => !alone.has(source)).map((source) => [pathOf(source), source]));
  let program: TS.Program | undefined;
  const programOf = (): TS.Program => {
    if (program) return program;
    const host: TS.CompilerHost = {
      getSourceFile: (name, version) => {
        const found = files.get(name);
        return found ? ts.createSourceFile(name, found.source, version, true, scriptKind(ts, name)) : undefined;
      },
      getDefaultLibFileName: () => "/lib.d.ts",
      writeFile: () => undefined,
      getCurrentDirectory: () => "/skill",
      getCanonicalFileName: (name) => name,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => "\n",
      fileExists: (name) => files.has(name),
      readFile: (name) => files.get(name)?.source,
    };
    program = ts.createProgram([...files.keys()], options, host);
    return program;
  };
  return sources.map((source) => {
    const parsed = alone.get(source);
    if (parsed) return new FileAnalysis(ts, noChecker, parsed, source.file, parseDiagnostics(parsed)!).run();
    const current = programOf();
    const sourceFile = current.getSourceFile(pathOf(source))!;
    return new FileAnalysis(
      ts,
      () => current.getTypeChecker(),
      sourceFile,
      source.file,
      current.getSyntacticDiagnostics(sourceFile),
    ).run();
  });
}

/** A file without an SDK import binds no name: the checker is never asked. */
function noChecker(): TS.TypeChecker {
  throw new Error("the usage analysis asked for names in a file that imports no SDK");
}

/**
 * What a program's getSyntacticDiagnostics gives for a TypeScript file: the parser's own diagnostics (a field the
 * compiler keeps on every source file; where a version lacks it, the file goes to the program instead).
 */
function parseDiagnostics(sourceFile: TS.SourceFile): readonly TS.DiagnosticWithLocation[] | undefined {
  return (sourceFile as TS.SourceFile & { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics;
}

function scriptKind(ts: typeof TS, name: string): TS.ScriptKind {
  if (/\.(m|c)?js$/.test(name)) return ts.ScriptKind.JS;
  if (/\.tsx$/.test(name)) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}

class FileAnalysis {
  private readonly bindings = new Map<TS.Symbol, Binding>();
  /** The local names the bindings were made under. */
  private readonly boundNames = new Set<string>();
  private readonly calls: RawCall[] = [];
  private readonly imports: RawImport[] = [];
  private readonly opaque = new Set<string>();
  private readonly seen = new Set<string>();
  private identifiers?: Map<string, TS.Identifier[]>;
  private nodeIds = new WeakMap<TS.Node, number>();
  private nextId = 0;

  constructor(
    private readonly ts: typeof TS,
    private readonly checkerOf: () => TS.TypeChecker,
    private readonly sf: TS.SourceFile,
    private readonly file: string,
    private readonly syntax: readonly TS.DiagnosticWithLocation[],
  ) {}

  private checker(): TS.TypeChecker {
    return this.checkerOf();
  }

  run(): SourceAnalysis {
    const diagnostics = this.syntax.map((d) => this.diagnostic(d));
    this.collectImports();
    if (this.bindings.size > 0 || this.opaque.size > 0) this.visit(this.sf);
    return {
      file: this.file,
      language: "typescript",
      diagnostics,
      calls: this.calls,
      imports: this.imports,
      opaqueModules: [...this.opaque].sort(),
    };
  }

  private diagnostic(d: TS.DiagnosticWithLocation): SourceDiagnostic {
    const pos = this.sf.getLineAndCharacterOfPosition(d.start);
    return {
      file: this.file,
      line: pos.line + 1,
      column: pos.character + 1,
      severity: "error",
      code: `TS${d.code}`,
      message: this.ts.flattenDiagnosticMessageText(d.messageText, " "),
    };
  }

  private loc(node: TS.Node | number) {
    const start = typeof node === "number" ? node : node.getStart(this.sf);
    const pos = this.sf.getLineAndCharacterOfPosition(start);
    return { file: this.file, line: pos.line + 1, column: pos.character + 1 };
  }

  private span(node: TS.Node): Span {
    return [node.getStart(this.sf), node.getEnd()];
  }

  /** The text of a string literal key without its quotes, when written plainly. */
  private innerSpan(node: TS.StringLiteralLike): Span | undefined {
    const start = node.getStart(this.sf);
    const end = node.getEnd();
    return this.sf.text.slice(start + 1, end - 1) === node.text ? [start + 1, end - 1] : undefined;
  }

  // ---- imports ----------------------------------------------------------------------------------------------
  private collectImports(): void {
    const ts = this.ts;
    for (const statement of this.sf.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!clause?.namedBindings || clause.isTypeOnly) continue;
      if (RUNTIME_MODULE.test(specifier)) {
        if (ts.isNamedImports(clause.namedBindings)) {
          for (const element of clause.namedBindings.elements) {
            const imported = (element.propertyName ?? element.name).text;
            if (RUNTIME_CALLS.has(imported)) this.bind(element.name, { kind: "generic" });
          }
        }
        continue;
      }
      const match = SDK_MODULE.exec(specifier);
      if (!match) continue;
      const module = match[1]!;
      if (ts.isNamespaceImport(clause.namedBindings)) {
        this.bind(clause.namedBindings.name, { kind: "module", module });
        continue;
      }
      for (const element of clause.namedBindings.elements) {
        if (element.isTypeOnly) continue;
        const nameNode = element.propertyName ?? element.name;
        const imported = nameNode.text;
        // types (GetForecastInput) are imported too: only functions (lower-case first letter) are tools
        if (!/^[a-z_$]/.test(imported)) continue;
        this.bind(element.name, { kind: "func", module, name: imported });
        this.imports.push({ module, name: imported, location: this.loc(nameNode), span: this.span(nameNode) });
      }
    }
  }

  private bind(name: TS.Identifier, binding: Binding): void {
    const symbol = this.checker().getSymbolAtLocation(name);
    if (!symbol) return;
    this.bindings.set(symbol, binding);
    this.boundNames.add(name.text);
  }

  private bindingOf(node: TS.Node): Binding | undefined {
    // a name can only refer to a bound import if it is spelled the same: the checker (which types the expression
    // around it to answer) is asked only then
    if (!this.ts.isIdentifier(node) || !this.boundNames.has(node.text)) return undefined;
    const symbol = this.symbolOf(node);
    return symbol ? this.bindings.get(symbol) : undefined;
  }

  private symbolOf(id: TS.Identifier): TS.Symbol | undefined {
    const parent = id.parent;
    if (parent && this.ts.isShorthandPropertyAssignment(parent) && parent.name === id) {
      return this.checker().getShorthandAssignmentValueSymbol(parent);
    }
    return this.checker().getSymbolAtLocation(id);
  }

  // ---- calls ------------------------------------------------------------------------------------------------
  private visit(node: TS.Node): void {
    const ts = this.ts;
    if (ts.isImportDeclaration(node)) return;
    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        const match = arg && ts.isStringLiteralLike(arg) ? SDK_MODULE.exec(arg.text) : null;
        if (match) this.opaque.add(match[1]!);
      } else {
        const found = this.targetOf(node.expression);
        if (found) this.recordCall(node, found);
      }
    } else if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const parent = node.parent;
      const callee = ts.isCallExpression(parent) && parent.expression === node;
      const owner = ts.isPropertyAccessExpression(parent) && parent.expression === node;
      if (!callee && !owner) {
        const found = this.targetOf(node);
        if (found && found.target.kind === "sdk") this.recordReference(node, found);
        else if (ts.isIdentifier(node)) {
          // a namespace object passed on as a whole: any of its tools may be called
          const binding = this.bindingOf(node);
          if (binding?.kind === "module") this.opaque.add(binding.module);
        }
      }
    }
    ts.forEachChild(node, (child) => this.visit(child));
  }

  private targetOf(expression: TS.Expression): { target: CallTarget; name: string; nameNode: TS.Node } | undefined {
    const ts = this.ts;
    const inner = skipOuter(ts, expression);
    if (ts.isIdentifier(inner)) {
      const binding = this.bindingOf(inner);
      if (binding?.kind === "func")
        return {
          target: { kind: "sdk", module: binding.module, name: binding.name },
          name: inner.text,
          nameNode: inner,
        };
      if (binding?.kind === "generic") return { target: { kind: "generic" }, name: inner.text, nameNode: inner };
      return undefined;
    }
    if (ts.isPropertyAccessExpression(inner)) {
      const binding = this.bindingOf(skipOuter(ts, inner.expression));
      if (binding?.kind === "module") {
        return {
          target: { kind: "sdk", module: binding.module, name: inner.name.text },
          name: inner.name.text,
          nameNode: inner.name,
        };
      }
    }
    if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression)) {
      const binding = this.bindingOf(skipOuter(ts, inner.expression));
      if (binding?.kind === "module") {
        const name = inner.argumentExpression.text;
        return { target: { kind: "sdk", module: binding.module, name }, name, nameNode: inner.argumentExpression };
      }
    }
    return undefined;
  }

  private newCall(found: { target: CallTarget; name: string; nameNode: TS.Node }, direct: boolean): RawCall {
    const call: RawCall = {
      target: { ...found.target },
      location: this.loc(found.nameNode),
      direct,
      args: [],
      reads: [],
      callee: { name: found.name, location: this.loc(found.nameNode), span: this.span(found.nameNode) },
    };
    this.calls.push(call);
    return call;
  }

  private recordReference(node: TS.Node, found: { target: CallTarget; name: string; nameNode: TS.Node }): void {
    // a function passed on (`paths.map(getFileInfo)`): its arguments and result are out of sight
    const call = this.newCall(found, false);
    call.dynamicArgs = this.loc(node);
    call.reads.push({ path: [], location: this.loc(node), escapes: true });
  }

  private recordCall(node: TS.CallExpression, found: { target: CallTarget; name: string; nameNode: TS.Node }): void {
    const ts = this.ts;
    const call = this.newCall(found, true);
    let payload: TS.Expression | undefined = node.arguments[0];
    if (found.target.kind === "generic") {
      const [server, tool, args] = node.arguments;
      const target = call.target as { kind: "generic"; server?: string; tool?: string };
      if (server && ts.isStringLiteralLike(server)) target.server = server.text;
      if (tool && ts.isStringLiteralLike(tool)) target.tool = tool.text;
      payload = args;
    } else if (node.arguments.length > 1) call.dynamicArgs = this.loc(node.arguments[1]!);
    if (payload) this.objectArguments(call, [], payload);
    this.follow(node, call, []);
  }

  /** The keys of an object literal passed as the arguments (or a const initialised with one). */
  private objectArguments(call: RawCall, path: DataPath, expression: TS.Expression): void {
    const ts = this.ts;
    let node = skipOuter(ts, expression);
    if (ts.isIdentifier(node)) {
      const declaration = this.symbolOf(node)?.valueDeclaration;
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isConst(ts, declaration)) {
        node = skipOuter(ts, declaration.initializer);
      }
    }
    if (!ts.isObjectLiteralExpression(node)) {
      call.dynamicArgs ??= this.loc(expression);
      return;
    }
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        call.dynamicArgs ??= this.loc(property);
        continue;
      }
      if (ts.isShorthandPropertyAssignment(property)) {
        call.args.push({
          path: [...path, property.name.text],
          location: this.loc(property.name),
          keySpan: this.span(property.name),
          shorthand: true,
          constant: false,
        });
        continue;
      }
      if (!ts.isPropertyAssignment(property)) continue;
      const key = propertyKey(ts, property.name);
      if (key === undefined) {
        call.dynamicArgs ??= this.loc(property);
        continue;
      }
      const keySpan = ts.isIdentifier(property.name)
        ? this.span(property.name)
        : ts.isStringLiteral(property.name)
          ? this.innerSpan(property.name)
          : undefined;
      const value = skipOuter(ts, property.initializer);
      const literal = literalValue(ts, value);
      const arg: ArgumentUse = {
        path: [...path, key],
        location: this.loc(property.name),
        constant: literal !== undefined,
      };
      if (keySpan) arg.keySpan = keySpan;
      if (literal !== undefined) {
        arg.value = literal.value;
        arg.valueSpan = this.span(value);
      }
      call.args.push(arg);
      if (ts.isObjectLiteralExpression(value)) this.objectArguments(call, [...path, key], value);
    }
  }

  // ---- following a result -----------------------------------------------------------------------------------
  private read(call: RawCall, path: DataPath, node: TS.Node, escapes: boolean, key?: FieldRead["key"]): void {
    call.reads.push({ path, location: this.loc(node), escapes, ...(key ? { key } : {}) });
  }

  private id(node: TS.Node): number {
    let id = this.nodeIds.get(node);
    if (id === undefined) {
      id = this.nextId++;
      this.nodeIds.set(node, id);
    }
    return id;
  }

  private follow(node: TS.Node, call: RawCall, path: DataPath): void {
    const key = `${this.id(node)}|${this.calls.indexOf(call)}|${path.join("\u0000")}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const ts = this.ts;
    const parent = node.parent;
    if (!parent) return;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isTypeAssertionExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isAwaitExpression(parent)
    ) {
      this.follow(parent, call, path);
      return;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      this.property(parent, call, path);
      return;
    }
    if (ts.isElementAccessExpression(parent) && parent.expression === node) {
      const arg = parent.argumentExpression;
      if (ts.isStringLiteralLike(arg)) {
        const span = this.innerSpan(arg);
        this.read(call, [...path, arg.text], arg, false, span ? { span, style: "string" } : undefined);
        this.follow(parent, call, [...path, arg.text]);
      } else if (ts.isNumericLiteral(arg)) this.follow(parent, call, [...path, "*"]);
      else this.read(call, [...path, "*"], parent, true);
      return;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
      this.bindName(parent.name, call, path);
      return;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken && parent.right === node) {
        if (ts.isIdentifier(parent.left)) this.bindName(parent.left, call, path);
        else this.read(call, path, node, true);
        return;
      }
      if (
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.AmpersandAmpersandToken
      ) {
        this.read(call, path, node, false);
        this.follow(parent, call, path);
        return;
      }
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken ||
        op === ts.SyntaxKind.InstanceOfKeyword ||
        op === ts.SyntaxKind.InKeyword
      ) {
        this.read(call, path, node, false);
        return;
      }
    }
    if (ts.isConditionalExpression(parent)) {
      if (parent.condition === node) this.read(call, path, node, false);
      else this.follow(parent, call, path);
      return;
    }
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.expression === node) {
      const declaration = ts.isVariableDeclarationList(parent.initializer)
        ? parent.initializer.declarations[0]
        : undefined;
      if (ts.isForInStatement(parent)) this.read(call, path, node, false);
      else if (declaration) this.bindName(declaration.name, call, [...path, "*"]);
      else this.read(call, path, node, true);
      return;
    }
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) {
      this.read(call, path, node, false);
      return;
    }
    if (ts.isTypeOfExpression(parent) || ts.isVoidExpression(parent) || ts.isDeleteExpression(parent)) {
      this.read(call, path, node, false);
      return;
    }
    if (
      (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) &&
      parent.expression === node
    ) {
      this.read(call, path, node, false);
      return;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as TS.Expression)) {
      const callee = parent.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? `${callee.expression.getText(this.sf)}.${callee.name.text}`
        : callee.getText(this.sf);
      if (name === "Array.isArray" || name === "Object.keys" || name === "Boolean") this.read(call, path, node, false);
      else if (name === "Object.values" || name === "Array.from") this.follow(parent, call, path);
      else if (name === "Object.entries") this.entries(parent, call, path);
      else this.read(call, path, node, true);
      return;
    }
    if (ts.isExpressionStatement(parent)) return;
    this.read(call, path, node, true);
  }

  private property(access: TS.PropertyAccessExpression, call: RawCall, path: DataPath): void {
    const ts = this.ts;
    const name = access.name.text;
    const outer = access.parent;
    if (ts.isCallExpression(outer) && outer.expression === access) {
      const callback = outer.arguments[0];
      if (ITEM_CALLBACKS.has(name) || name === "reduce") {
        const fn = callback && skipOuter(ts, callback);
        if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
          const param = fn.parameters[name === "reduce" ? 1 : 0];
          if (param) this.bindName(param.name, call, [...path, "*"]);
        } else this.read(call, path, access, true);
        if (SAME_COLLECTION.has(name)) this.follow(outer, call, path);
        else if (name === "find" || name === "findLast") this.follow(outer, call, [...path, "*"]);
        return;
      }
      if (SAME_COLLECTION.has(name)) {
        this.read(call, path, access, false);
        this.follow(outer, call, path);
        return;
      }
      if (name === "at") {
        this.follow(outer, call, [...path, "*"]);
        return;
      }
      if (name === "entries") {
        this.entries(outer, call, path);
        return;
      }
      if (LOOKS.has(name)) {
        this.read(call, path, access, false);
        return;
      }
      this.read(call, path, access, true);
      return;
    }
    if (name === "length") {
      this.read(call, path, access, false);
      return;
    }
    this.read(call, [...path, name], access.name, false, { span: this.span(access.name), style: "name" });
    this.follow(access, call, [...path, name]);
  }

  /** `for (const [key, value] of Object.entries(r))`: the second element is an item. */
  private entries(node: TS.Node, call: RawCall, path: DataPath): void {
    const ts = this.ts;
    const parent = node.parent;
    if (ts.isForOfStatement(parent) && ts.isVariableDeclarationList(parent.initializer)) {
      const name = parent.initializer.declarations[0]?.name;
      if (name && ts.isArrayBindingPattern(name)) {
        const second = name.elements[1];
        this.read(call, path, node, false);
        if (second && ts.isBindingElement(second)) this.bindName(second.name, call, [...path, "*"]);
        return;
      }
    }
    this.read(call, path, node, true);
  }

  private bindName(name: TS.BindingName, call: RawCall, path: DataPath): void {
    const ts = this.ts;
    if (ts.isIdentifier(name)) {
      const symbol = this.checker().getSymbolAtLocation(name);
      if (!symbol) return;
      for (const ref of this.references(symbol, name)) this.follow(ref, call, path);
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        if (element.dotDotDotToken) {
          this.read(call, path, element, true);
          continue;
        }
        const keyNode = element.propertyName ?? element.name;
        const key = ts.isIdentifier(keyNode) || ts.isStringLiteral(keyNode) ? keyNode.text : undefined;
        if (key === undefined) {
          this.read(call, [...path, "*"], element, true);
          continue;
        }
        const style = element.propertyName ? "name" : "shorthand";
        this.read(call, [...path, key], keyNode, false, { span: this.span(keyNode), style });
        this.bindName(element.name, call, [...path, key]);
      }
      return;
    }
    for (const element of name.elements) {
      if (ts.isBindingElement(element)) this.bindName(element.name, call, [...path, "*"]);
    }
  }

  private references(symbol: TS.Symbol, declaration: TS.Identifier): TS.Identifier[] {
    if (!this.identifiers) {
      this.identifiers = new Map();
      const collect = (node: TS.Node): void => {
        if (this.ts.isIdentifier(node)) {
          const list = this.identifiers!.get(node.text) ?? [];
          list.push(node);
          this.identifiers!.set(node.text, list);
        }
        this.ts.forEachChild(node, collect);
      };
      collect(this.sf);
    }
    return (this.identifiers.get(declaration.text) ?? []).filter(
      (id) => id !== declaration && this.symbolOf(id) === symbol,
    );
  }
}

function skipOuter(ts: typeof TS, node: TS.Expression): TS.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

function isConst(ts: typeof TS, declaration: TS.VariableDeclaration): boolean {
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

function propertyKey(ts: typeof TS, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))
    return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function literalValue(ts: typeof TS, node: TS.Expression): { value: ScalarValue } | undefined {
  if (ts.isStringLiteralLike(node)) return { value: node.text };
  if (ts.isNumericLiteral(node)) return { value: Number(node.text) };
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    if (node.operator === ts.SyntaxKind.MinusToken) return { value: -Number(node.operand.text) };
    if (node.operator === ts.SyntaxKind.PlusToken) return { value: Number(node.operand.text) };
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { value: null };
  return undefined;
}
