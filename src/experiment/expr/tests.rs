use super::{Expr, KEYWORDS, Val};

/// Variables of the tests: `rate` 400, `instances` 2, `zero` 0, `policy` "simple".
fn vars(name: &str) -> Option<Val> {
    match name {
        "rate" => Some(Val::Number(400.0)),
        "instances" => Some(Val::Number(2.0)),
        "zero" => Some(Val::Number(0.0)),
        "policy" => Some(Val::Text("simple".into())),
        _ => None,
    }
}

fn eval(text: &str) -> Result<Val, String> {
    Expr::parse(text)?.eval(&vars)
}

fn num(text: &str) -> f64 {
    match eval(text) {
        Ok(Val::Number(n)) => n,
        other => panic!("{text}: {other:?}"),
    }
}

fn truth(text: &str) -> bool {
    match eval(text) {
        Ok(Val::Bool(b)) => b,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn numbers_in_every_spelling() {
    assert_eq!(num("200"), 200.0);
    assert_eq!(num("0.5"), 0.5);
    assert_eq!(num("1e3"), 1000.0);
    assert_eq!(num("2.5E-1"), 0.25);
    assert_eq!(num(".5"), 0.5);
}

#[test]
fn arithmetic_precedence_and_associativity() {
    assert_eq!(num("1 + 2 * 3"), 7.0);
    assert_eq!(num("(1 + 2) * 3"), 9.0);
    assert_eq!(num("10 - 4 - 3"), 3.0);
    assert_eq!(num("64 / 4 / 2"), 8.0);
    assert_eq!(num("7 % 4 * 2"), 6.0);
    assert_eq!(num("-2 * 3"), -6.0);
    assert_eq!(num("--2"), 2.0);
    assert_eq!(num("2 - -3"), 5.0);
    assert_eq!(num("rate / instances"), 200.0);
}

#[test]
fn comparisons_and_logic_precedence() {
    assert!(truth("rate / instances <= 200"));
    assert!(!truth("rate / instances < 200"));
    assert!(truth("1 + 1 == 2"));
    assert!(truth("rate > 100 and instances >= 2"));
    // `and` binds tighter than `or`: true or (false and false).
    assert!(truth("1 < 2 or 1 > 2 and 2 > 3"));
    // `not` applies to the whole comparison.
    assert!(truth("not rate < 100"));
    assert!(truth("!(rate < 100) && instances != 3"));
    assert!(truth("rate < 100 || instances == 2"));
    assert!(truth("not false"));
    assert!(truth("true == true"));
}

#[test]
fn text_compares_with_text() {
    assert!(truth("policy == \"simple\""));
    assert!(truth("policy != 'target tracking'"));
    assert!(truth("'a' < 'b'"));
}

#[test]
fn functions() {
    assert_eq!(num("min(3, 1, 2)"), 1.0);
    assert_eq!(num("max(rate, 1000)"), 1000.0);
    assert_eq!(num("max(5)"), 5.0);
    assert_eq!(num("abs(-4)"), 4.0);
    assert_eq!(num("sqrt(16)"), 4.0);
    assert_eq!(num("ln(1)"), 0.0);
    assert_eq!(num("log10(1000)"), 3.0);
    assert_eq!(num("floor(2.7)"), 2.0);
    assert_eq!(num("ceil(2.1)"), 3.0);
    assert_eq!(num("2 * min(instances, 10) + 1"), 5.0);
}

#[test]
fn variables_each_once_in_order() {
    let e = Expr::parse("rate / instances <= max(rate, limit) and policy == 'x'").unwrap();
    assert_eq!(e.variables(), vec!["rate", "instances", "limit", "policy"]);
    assert_eq!(
        e.to_string(),
        "rate / instances <= max(rate, limit) and policy == 'x'"
    );
}

#[test]
fn parse_errors_say_where() {
    let err = |t: &str| Expr::parse(t).unwrap_err();
    assert_eq!(
        err("rate <="),
        "at column 8: expected a value after '<=', got end of text"
    );
    assert_eq!(
        err("rate * * 2"),
        "at column 8: expected a value after '*', got '*'"
    );
    assert_eq!(
        err("(rate + 1"),
        "at column 10: expected ')' to close the '(' at column 1, got end of text"
    );
    assert_eq!(
        err("rate 2"),
        "at column 6: expected an operator or the end of the expression, got '2'"
    );
    assert_eq!(
        err("rate = 2"),
        "at column 6: '=' alone is not an operator; write '==' to compare"
    );
    assert_eq!(
        err("policy == 'simple"),
        "at column 11: text opened with ' is not closed"
    );
    assert_eq!(err("rate # 2"), "at column 6: unexpected character '#'");
    assert_eq!(
        err("mean(rate)"),
        "at column 1: unknown function 'mean'; known: min, max, abs, sqrt, ln, log10, floor, ceil"
    );
    assert_eq!(
        err("abs(1, 2)"),
        "at column 1: abs() takes exactly one value, got 2"
    );
    assert_eq!(
        err("min()"),
        "at column 1: min() takes at least one value, got 0"
    );
    assert_eq!(
        err("1 < 2 < 3"),
        "at column 7: comparisons do not chain: join them with 'and' (as in 'a < b and b < c')"
    );
    assert_eq!(err("   "), "the expression is empty");
    assert_eq!(
        err("1e999"),
        "at column 1: '1e999' is not a number this language can hold"
    );
    assert_eq!(
        err("max(1,)"),
        "at column 7: expected a value after ',', got ')'"
    );
}

#[test]
fn eval_errors_in_user_words() {
    let err = |t: &str| eval(t).unwrap_err();
    assert_eq!(
        err("rate == policy"),
        "'rate' is a number, 'policy' is text: cannot compare them"
    );
    assert_eq!(err("rte > 1"), "unknown name 'rte'");
    assert_eq!(err("policy + 1"), "'policy' is text: '+' needs numbers");
    assert_eq!(
        err("rate and true"),
        "'rate' is a number: 'and' needs true or false (a comparison)"
    );
    assert_eq!(
        err("rate / zero"),
        "division by zero in 'rate / zero': 'zero' is 0"
    );
    assert_eq!(err("5 % 0"), "division by zero in '5 % 0': '0' is 0");
    assert_eq!(
        err("sqrt(-1)"),
        "sqrt() needs a number ≥ 0, got -1 in 'sqrt(-1)'"
    );
    assert_eq!(
        err("ln(zero)"),
        "ln() needs a number > 0, got 0 in 'ln(zero)'"
    );
    assert_eq!(
        err("(1 < 2) < true"),
        "'(1 < 2)' and 'true' are true or false: '<' needs numbers or text"
    );
    assert_eq!(
        err("1e300 * 1e300"),
        "'1e300 * 1e300' is too large a number (inf)"
    );
}

#[test]
fn and_or_stop_early() {
    // The right side would divide by zero; `and` with a false left side never looks at it.
    assert!(!truth("zero > 0 and rate / zero > 1"));
    assert!(truth("zero == 0 or rate / zero > 1"));
}

#[test]
fn keywords_are_reserved() {
    assert!(KEYWORDS.contains(&"and"));
    assert!(KEYWORDS.contains(&"true"));
}
