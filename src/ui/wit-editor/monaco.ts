/**
 * The Files panel's Monaco (`../files/monaco`) with what the authoring editor adds: hovers,
 * completion with snippets, Go to Symbol, go to definition, marker navigation, and WAT.
 * Loaded on demand with `import()`.
 */
import { monaco } from "../files/monaco";
import "monaco-editor/features/hover/register";
import "monaco-editor/features/suggest/register";
import "monaco-editor/features/snippet/register";
import "monaco-editor/features/quickOutline/register";
import "monaco-editor/features/gotoSymbol/register";
import "monaco-editor/features/gotoError/register";
import "monaco-editor/features/documentSymbols/register";
// monaco-editor 0.57's feature modules leave out the suggest widget and the go-to commands (F12).
import "monaco-editor/editor/contrib/suggest/browser/suggestController";
import "monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands";
import { registerWat } from "./watLanguage";

registerWat(monaco);

export { monaco };
