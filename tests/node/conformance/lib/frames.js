// Frame builders.

/** A JSON `ping` text whose UTF-8 encoding is exactly `size` bytes. */
export function paddedPing(size) {
  const skeleton = '{"type":"ping","pad":""}';
  const pad = size - Buffer.byteLength(skeleton);
  if (pad < 0) throw new Error(`a ping frame cannot be smaller than ${skeleton.length} bytes`);
  const text = `{"type":"ping","pad":"${'x'.repeat(pad)}"}`;
  if (Buffer.byteLength(text) !== size) throw new Error('paddedPing: size mismatch');
  return text;
}

/**
 * Valid JSON a re-serialising server would not reproduce byte for byte: odd spacing, non-alphabetical key
 * order, \u escapes (upper and lower case), an escaped solidus, a surrogate pair, raw non-ASCII, number
 * spellings (1.50, 1E+2, -0, 0.0e-7), a raw newline and tab between tokens, nested empties and nulls.
 */
export function unusualData(kind, marker = '') {
  const sdp = `v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=${marker}\\u00e9\\u00E9\\u2028 caf\u00e9 \\ud83d\\ude00 \\/ \\"q\\"\\r\\n`;
  return `{ "sdp" : "${sdp}" ,"type":"${kind}",\n\t"n": 1.50, "e":1E+2 , "z":-0, "tiny":0.0e-7, "arr" : [ 1 ,2,{ } , [] ,null], "nested":{"zz":null,"aa":true ,"\\u0041":"\\u0042"}  }`;
}
