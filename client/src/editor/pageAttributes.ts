/**
 * The attributes of an editor's page (useEditor's `editorProps.attributes`): a named, multi-line
 * text box for screen readers.
 *
 * Tiptap gives the view role="textbox" when it creates it, but EditorContent hands the view these
 * attributes again when it mounts. Without the role they differed, so ProseMirror dropped it (screen
 * readers no longer announced the page as text) and, redrawing the page's attributes, read the DOM
 * selection, which laid out the whole document before its first frame (56–122 ms of a 100-page open).
 * Every editor's page therefore takes its attributes from here.
 */
export function pageAttributes(label: string, attributes: Record<string, string>): Record<string, string> {
  return { role: 'textbox', 'aria-multiline': 'true', 'aria-label': label, ...attributes }
}
