/** Yields one parsed value per non-empty line of a newline-delimited JSON stream. */
export async function* readNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  try {
    for (;;) {
      const {value, done} = await reader.read()
      if (done) break
      buffered += decoder.decode(value, {stream: true})
      let newline = buffered.indexOf('\n')
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim()
        buffered = buffered.slice(newline + 1)
        if (line) yield JSON.parse(line) as T
        newline = buffered.indexOf('\n')
      }
    }
    const rest = (buffered + decoder.decode()).trim()
    if (rest) yield JSON.parse(rest) as T
  } finally {
    reader.releaseLock()
  }
}
