//! Text into tokens: numbers, text, names, operators, each with its byte span.

/// One token and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Token {
    pub kind: Tok,
    /// Byte offsets in the text (start inclusive, end exclusive).
    pub span: (usize, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Number(f64),
    Text(String),
    Ident(String),
    /// An operator or punctuation, in its canonical spelling (`&&` is `and`, `!` is `not`).
    Sym(&'static str),
    End,
}

/// The column (1-based, in characters) of byte offset `at` of `text`.
pub(super) fn column(text: &str, at: usize) -> usize {
    text[..at].chars().count() + 1
}

pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let kind = if c.is_ascii_digit()
            || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i = number_end(bytes, i);
            let written = &text[start..i];
            match written.parse::<f64>() {
                Ok(n) if n.is_finite() => Tok::Number(n),
                _ => {
                    return Err(format!(
                        "at column {}: '{written}' is not a number this language can hold",
                        column(text, start)
                    ));
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            match &text[start..i] {
                "and" => Tok::Sym("and"),
                "or" => Tok::Sym("or"),
                "not" => Tok::Sym("not"),
                word => Tok::Ident(word.to_string()),
            }
        } else if c == b'"' || c == b'\'' {
            let Some(len) = text[i + 1..].find(c as char) else {
                return Err(format!(
                    "at column {}: text opened with {} is not closed",
                    column(text, start),
                    c as char
                ));
            };
            i += 1 + len + 1;
            Tok::Text(text[start + 1..i - 1].to_string())
        } else {
            let two = text.get(i..i + 2).unwrap_or("");
            let (sym, len) = match two {
                "==" => ("==", 2),
                "!=" => ("!=", 2),
                "<=" => ("<=", 2),
                ">=" => (">=", 2),
                "&&" => ("and", 2),
                "||" => ("or", 2),
                _ => match c {
                    b'+' => ("+", 1),
                    b'-' => ("-", 1),
                    b'*' => ("*", 1),
                    b'/' => ("/", 1),
                    b'%' => ("%", 1),
                    b'<' => ("<", 1),
                    b'>' => (">", 1),
                    b'!' => ("not", 1),
                    b'(' => ("(", 1),
                    b')' => (")", 1),
                    b',' => (",", 1),
                    b'=' => {
                        return Err(format!(
                            "at column {}: '=' alone is not an operator; write '==' to compare",
                            column(text, start)
                        ));
                    }
                    _ => {
                        let ch = text[i..].chars().next().unwrap_or('?');
                        return Err(format!(
                            "at column {}: unexpected character '{ch}'",
                            column(text, start)
                        ));
                    }
                },
            };
            i += len;
            Tok::Sym(sym)
        };
        tokens.push(Token {
            kind,
            span: (start, i),
        });
    }
    tokens.push(Token {
        kind: Tok::End,
        span: (text.len(), text.len()),
    });
    Ok(tokens)
}

/// Where the number starting at `i` ends: digits, a fraction, an exponent.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    i = digits(i);
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            i = digits(j);
        }
    }
    i
}
