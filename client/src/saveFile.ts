/** Hands a fetched file to the browser as a download (fetched rather than linked, so a failure can be said). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the click; the object URL is no longer needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
