/**
 * WIT for Monaco: colours from `src/wit/lexer` (line by line, carrying block-comment state),
 * brackets and comments, and the language features of `src/wit` (hover, completion, outline for
 * Go to Symbol, folding, go to definition). The project's files come from `ctx` on each request.
 */
import type * as Monaco from "monaco-editor/editor/editor.api";
import type { Span } from "../../wit/ast";
import { completeAt, type CompletionKind } from "../../wit/complete";
import { tokenClasses } from "../../wit/highlight";
import { hoverAt } from "../../wit/hover";
import { INITIAL_STATE, lex, type LexState } from "../../wit/lexer";
import type { WitModel } from "../../wit/model";
import { foldingRanges, outline, type OutlineSymbol } from "../../wit/outline";

export const WIT_LANGUAGE = "wit";

/** What the providers need from whoever owns the project. */
export interface WitEditorContext {
  /** The project's WIT model (its files and the dependencies), or null when none is open. */
  model(): WitModel | null;
  /** The project path of a Monaco model, or null when it is not a project file. */
  pathOf(uri: Monaco.Uri): string | null;
  /** The Monaco model of a project path (for go to definition). */
  uriOf(path: string): Monaco.Uri | null;
}

class WitLineState implements Monaco.languages.IState {
  constructor(readonly lex: LexState) {}
  clone(): WitLineState {
    return new WitLineState(this.lex);
  }
  equals(other: Monaco.languages.IState): boolean {
    return other instanceof WitLineState && other.lex.comment === this.lex.comment && other.lex.doc === this.lex.doc;
  }
}

const COMPLETION_KINDS = (m: typeof Monaco): Record<CompletionKind, Monaco.languages.CompletionItemKind> => ({
  keyword: m.languages.CompletionItemKind.Keyword,
  builtin: m.languages.CompletionItemKind.TypeParameter,
  type: m.languages.CompletionItemKind.Struct,
  interface: m.languages.CompletionItemKind.Interface,
  world: m.languages.CompletionItemKind.Module,
  function: m.languages.CompletionItemKind.Function,
  snippet: m.languages.CompletionItemKind.Snippet,
});

/** Registers the language once per Monaco; the providers are replaced by each call (and removed by dispose). */
export function registerWit(monaco: typeof Monaco, ctx: WitEditorContext): Monaco.IDisposable {
  if (!monaco.languages.getLanguages().some((l) => l.id === WIT_LANGUAGE)) {
    monaco.languages.register({ id: WIT_LANGUAGE, extensions: [".wit"], aliases: ["WIT", "wit"] });
  }
  const range = (model: Monaco.editor.ITextModel, span: Span): Monaco.IRange => {
    const a = model.getPositionAt(span.start);
    const b = model.getPositionAt(span.end);
    return { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column };
  };
  const at = (model: Monaco.editor.ITextModel) => {
    const path = ctx.pathOf(model.uri);
    const wit = path ? ctx.model() : null;
    // The model may lag one keystroke behind the editor; only answer when it has this text.
    return path && wit && wit.files.get(path)?.text === model.getValue() ? { path, wit } : null;
  };
  const kinds = COMPLETION_KINDS(monaco);
  const symbolKind = (k: OutlineSymbol["kind"]) =>
    ({
      package: monaco.languages.SymbolKind.Package,
      interface: monaco.languages.SymbolKind.Interface,
      world: monaco.languages.SymbolKind.Module,
      type: monaco.languages.SymbolKind.Struct,
      resource: monaco.languages.SymbolKind.Class,
      function: monaco.languages.SymbolKind.Function,
      import: monaco.languages.SymbolKind.Namespace,
      export: monaco.languages.SymbolKind.Namespace,
      include: monaco.languages.SymbolKind.Namespace,
    })[k];
  const toSymbol = (model: Monaco.editor.ITextModel, s: OutlineSymbol): Monaco.languages.DocumentSymbol => ({
    name: s.name,
    detail: s.detail,
    kind: symbolKind(s.kind),
    tags: [],
    range: range(model, s.span),
    selectionRange: range(model, s.nameSpan),
    children: s.children.map((c) => toSymbol(model, c)),
  });

  const disposables: Monaco.IDisposable[] = [
    monaco.languages.setTokensProvider(WIT_LANGUAGE, {
      getInitialState: () => new WitLineState(INITIAL_STATE),
      tokenize: (line, state) => {
        const { tokens, state: end } = lex(line, (state as WitLineState).lex);
        const classes = tokenClasses(line, tokens);
        return { tokens: tokens.map((t, i) => ({ startIndex: t.start, scopes: classes[i]! })), endState: new WitLineState(end) };
      },
    }),
    monaco.languages.setLanguageConfiguration(WIT_LANGUAGE, {
      comments: { lineComment: "//", blockComment: ["/*", "*/"] },
      brackets: [
        ["{", "}"],
        ["(", ")"],
      ],
      autoClosingPairs: [
        { open: "{", close: "}" },
        { open: "(", close: ")" },
        { open: "<", close: ">", notIn: ["string", "comment"] },
        { open: '"', close: '"', notIn: ["string", "comment"] },
      ],
      surroundingPairs: [
        { open: "{", close: "}" },
        { open: "(", close: ")" },
        { open: "<", close: ">" },
      ],
      wordPattern: /%?[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*/,
      onEnterRules: [{ beforeText: /^\s*\/\/\/.*$/, action: { indentAction: monaco.languages.IndentAction.None, appendText: "/// " } }],
    }),
    monaco.languages.registerHoverProvider(WIT_LANGUAGE, {
      provideHover: (model, position) => {
        const a = at(model);
        const h = a && hoverAt(a.wit, a.path, model.getOffsetAt(position));
        return h ? { range: range(model, h.span), contents: [{ value: h.contents }] } : null;
      },
    }),
    monaco.languages.registerCompletionItemProvider(WIT_LANGUAGE, {
      triggerCharacters: [":", "/", "<", "{", "@", ".", " ", ",", "("],
      provideCompletionItems: (model, position) => {
        const a = at(model);
        if (!a) return { suggestions: [] };
        const r = completeAt(a.wit, a.path, model.getOffsetAt(position));
        const replace = range(model, r.replace);
        return {
          suggestions: r.items.map((c) => ({
            label: c.label,
            kind: kinds[c.kind],
            detail: c.detail,
            documentation: c.documentation ? { value: c.documentation } : undefined,
            insertText: c.insertText ?? c.label,
            insertTextRules: c.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
            range: replace,
          })),
        };
      },
    }),
    monaco.languages.registerDocumentSymbolProvider(WIT_LANGUAGE, {
      displayName: "WIT",
      provideDocumentSymbols: (model) => {
        const a = at(model);
        const file = a?.wit.files.get(a.path);
        return file ? outline(file.ast).map((s) => toSymbol(model, s)) : [];
      },
    }),
    monaco.languages.registerFoldingRangeProvider(WIT_LANGUAGE, {
      provideFoldingRanges: (model) =>
        foldingRanges(model.getValue()).map((f) => ({
          start: f.startLine,
          end: f.endLine,
          kind: f.kind === "comment" ? monaco.languages.FoldingRangeKind.Comment : undefined,
        })),
    }),
    monaco.languages.registerDefinitionProvider(WIT_LANGUAGE, {
      provideDefinition: (model, position) => {
        const a = at(model);
        if (!a) return null;
        const o = a.wit.occurrenceAt(a.path, model.getOffsetAt(position));
        if (!o || o.kind !== "type-ref") return null;
        const def = a.wit.lookupType(o.scope, o.ident.name);
        const uri = def && ctx.uriOf(def.scope.file.path);
        const target = uri && monaco.editor.getModel(uri);
        return target ? { uri: target.uri, range: range(target, def.def.name.span) } : null;
      },
    }),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
