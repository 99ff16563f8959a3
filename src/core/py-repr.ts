import { defined } from "./errors.ts";
// Python 3 `repr()` of a str, as glacier-cli prints names inside messages (docs/compatibility.md#output-and-exit-codes:
// "Names inside messages use Python repr (%r): single quotes, such as 'foo', unless the name
// contains a '"). Scripts match these texts, so the quoting rules are Python's exactly:
// - single quotes, unless the text contains ' and no ", then double quotes;
// - backslash and the chosen quote are escaped; \t \n \r by name;
// - other non-printable code points as \xNN, \uNNNN or \UNNNNNNNN (str.isprintable: categories
//   Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the space are not printable).

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = "";
  for (const char of text) {
    if (char === "\\") body += "\\\\";
    else if (char === quote) body += `\\${quote}`;
    else if (char === "\t") body += "\\t";
    else if (char === "\n") body += "\\n";
    else if (char === "\r") body += "\\r";
    else if (char !== " " && NOT_PRINTABLE.test(char))
      body += escapeCodePoint(defined(char.codePointAt(0), "char.codePointAt(0)"));
    else body += char;
  }
  return `${quote}${body}${quote}`;
}

function escapeCodePoint(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}
