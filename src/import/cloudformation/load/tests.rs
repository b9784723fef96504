use super::*;

fn parse(text: &str) -> Node {
    load(text, Path::new("t.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> ImportError {
    match load(text, Path::new("t.yaml")) {
        Ok(n) => panic!("expected an error, got {n:?}"),
        Err(e) => e,
    }
}

/// The tree of a JSON text, through serde_json (an independent parser), marks zeroed.
fn from_json(text: &str) -> Node {
    fn conv(v: &serde_json::Value) -> Node {
        let value = match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(conv).collect()),
            serde_json::Value::Object(o) => {
                Value::Map(o.iter().map(|(k, v)| (k.clone(), conv(v))).collect())
            }
        };
        Node::new(value, Mark::default())
    }
    conv(&serde_json::from_str(text).unwrap())
}

fn at(e: &ImportError) -> (usize, usize) {
    let m = e.mark.expect("a mark");
    (m.line, m.column)
}

#[test]
fn short_forms_become_long_forms() {
    let yaml = r#"
A: !Ref Param
B: !Condition IsProd
C: !GetAtt LB.DNSName
D: !GetAtt [LB, Arn]
E: !Sub "${AWS::StackName}-web"
F: !Select [0, !GetAZs ""]
G: !Join [",", [a, b]]
H: !Split [",", "a,b"]
I: !If [IsProd, 1, 2]
J: !Equals [!Ref Env, prod]
K: !And [!Condition X, !Condition Y]
L: !Or [!Condition X, !Condition Y]
M: !Not [!Condition X]
N: !FindInMap [Map, Key, Sub]
O: !Base64 text
P: !Cidr [10.0.0.0/16, 2, 8]
Q: !ImportValue Shared
R: !Transform {Name: M}
S: !Length [1, 2]
T: !ToJsonString {a: 1}
U: !GetAtt Res.Attr.With.Dots
"#;
    let json = r#"{
"A": {"Ref": "Param"},
"B": {"Condition": "IsProd"},
"C": {"Fn::GetAtt": ["LB", "DNSName"]},
"D": {"Fn::GetAtt": ["LB", "Arn"]},
"E": {"Fn::Sub": "${AWS::StackName}-web"},
"F": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
"G": {"Fn::Join": [",", ["a", "b"]]},
"H": {"Fn::Split": [",", "a,b"]},
"I": {"Fn::If": ["IsProd", 1, 2]},
"J": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
"K": {"Fn::And": [{"Condition": "X"}, {"Condition": "Y"}]},
"L": {"Fn::Or": [{"Condition": "X"}, {"Condition": "Y"}]},
"M": {"Fn::Not": [{"Condition": "X"}]},
"N": {"Fn::FindInMap": ["Map", "Key", "Sub"]},
"O": {"Fn::Base64": "text"},
"P": {"Fn::Cidr": ["10.0.0.0/16", 2, 8]},
"Q": {"Fn::ImportValue": "Shared"},
"R": {"Fn::Transform": {"Name": "M"}},
"S": {"Fn::Length": [1, 2]},
"T": {"Fn::ToJsonString": {"a": 1}},
"U": {"Fn::GetAtt": ["Res", "Attr.With.Dots"]}
}"#;
    // serde_json keeps object keys sorted (no preserve_order); compare against our JSON read too.
    assert_eq!(parse(yaml).without_marks(), parse(json).without_marks());
    let mut ours = parse(json).without_marks();
    let Value::Map(entries) = &mut ours.value else {
        panic!()
    };
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(ours, from_json(json));
}

#[test]
fn yaml_and_json_of_one_template_give_one_tree() {
    let yaml = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Port: {Type: Number, Default: 80}
Resources:
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: !Ref Port
      HealthCheckIntervalSeconds: 30
      Matcher: {HttpCode: '200'}
      Weight: 1.5
      Enabled: true
      Nothing: null
      Tags:
        - Key: Name
          Value: web
";
    let json = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Port": {"Type": "Number", "Default": 80}},
  "Resources": {
    "TG": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": {
        "Port": {"Ref": "Port"},
        "HealthCheckIntervalSeconds": 30,
        "Matcher": {"HttpCode": "200"},
        "Weight": 1.5,
        "Enabled": true,
        "Nothing": null,
        "Tags": [{"Key": "Name", "Value": "web"}]
      }
    }
  }
}"#;
    assert_eq!(parse(yaml).without_marks(), parse(json).without_marks());
}

#[test]
fn marks_are_one_based_line_and_column() {
    let root = parse("Resources:\n  TG:\n    Type: X\n");
    assert_eq!(root.mark, Mark { line: 1, column: 1 });
    let tg = root.get("Resources").unwrap().get("TG").unwrap();
    assert_eq!(tg.mark, Mark { line: 3, column: 5 });
    let ty = tg.get("Type").unwrap();
    assert_eq!(
        ty.mark,
        Mark {
            line: 3,
            column: 11
        }
    );
}

#[test]
fn plain_scalars_are_typed_by_the_core_schema() {
    let root = parse(
        "a: 30\nb: -4\nc: 1.5\nd: 1e3\ne: ~\nf:\ng: true\nh: False\ni: '30'\nj: yes\nk: 012345678901\nl: \"true\"\nm: 99999999999999999999\nn: .inf\n",
    );
    let v = |k: &str| root.get(k).unwrap().value.clone();
    assert_eq!(v("a"), Value::Number(30.into()));
    assert_eq!(v("b"), Value::Number((-4).into()));
    assert_eq!(
        v("c"),
        Value::Number(serde_json::Number::from_f64(1.5).unwrap())
    );
    assert_eq!(
        v("d"),
        Value::Number(serde_json::Number::from_f64(1000.0).unwrap())
    );
    assert_eq!(v("e"), Value::Null);
    assert_eq!(v("f"), Value::Null);
    assert_eq!(v("g"), Value::Bool(true));
    assert_eq!(v("h"), Value::Bool(false));
    assert_eq!(v("i"), Value::String("30".into()));
    assert_eq!(v("j"), Value::String("yes".into()));
    assert_eq!(v("k"), Value::String("012345678901".into()));
    assert_eq!(v("l"), Value::String("true".into()));
    assert_eq!(v("m"), Value::String("99999999999999999999".into()));
    assert_eq!(v("n"), Value::String(".inf".into()));
    // An integer stays an integer (not 30.0).
    let Value::Number(n) = v("a") else { panic!() };
    assert!(n.is_i64());
}

#[test]
fn core_schema_tags_type_their_scalar() {
    let root = parse("a: !!str 30\nb: !!int '8'\nc: !!bool 'true'\n");
    assert_eq!(root.get("a").unwrap().value, Value::String("30".into()));
    assert_eq!(root.get("b").unwrap().value, Value::Number(8.into()));
    assert_eq!(root.get("c").unwrap().value, Value::Bool(true));
}

#[test]
fn anchors_and_aliases_are_rejected_with_their_position() {
    let e = error("a: &x 1\nb: *x\n");
    assert_eq!(at(&e), (1, 4));
    assert!(e.message.contains("anchors"), "{e}");
    let e = error("a: 1\nb: [1, *x]\n");
    // An alias to an undefined anchor is the parser's syntax error; still placed.
    assert_eq!(e.mark.unwrap().line, 2, "{e}");
}

#[test]
fn alias_alone_is_rejected() {
    let e = error("a: &x {k: 1}\n");
    assert_eq!(at(&e), (1, 4));
    let e = error("a: [&x 1]\n");
    assert_eq!(at(&e), (1, 5));
}

#[test]
fn merge_keys_are_rejected() {
    let e = error("a:\n  <<: {k: 1}\n  j: 2\n");
    assert_eq!(at(&e), (2, 3));
    assert!(e.message.contains("merge keys"), "{e}");
}

#[test]
fn unsupported_core_tags_are_rejected() {
    for tag in ["binary", "omap", "pairs", "set", "timestamp"] {
        let e = error(&format!("a: 1\nb: !!{tag} x\n"));
        assert_eq!(at(&e), (2, 4), "{tag}: {e}");
        assert!(e.message.contains(&format!("!!{tag}")), "{e}");
    }
}

#[test]
fn duplicate_keys_are_rejected_naming_both() {
    let e = error("Resources:\n  A: 1\n  A: 2\n");
    assert_eq!(at(&e), (3, 3));
    assert!(
        e.message
            .contains("duplicate key `A` (first at line 2, column 3)"),
        "{e}"
    );
    let e = error(r#"{"A": 1, "A": 2}"#);
    assert_eq!(at(&e), (1, 10));
}

#[test]
fn non_string_keys_are_rejected() {
    let e = error("? [a, b]\n: 1\n");
    assert_eq!(at(&e), (1, 3));
    let e = error("? {a: 1}\n: 1\n");
    assert!(e.message.contains("keys must be strings"), "{e}");
    let e = error("!Ref a: 1\n");
    assert_eq!(at(&e), (1, 1));
}

#[test]
fn number_keys_are_their_text() {
    let root = parse("80: a\n");
    assert_eq!(root.get("80").unwrap().value, Value::String("a".into()));
}

#[test]
fn unknown_tags_are_rejected_with_their_position() {
    let e = error("a:\n  b: !Foo x\n");
    assert_eq!(at(&e), (2, 6));
    assert!(e.message.contains("unknown tag `!Foo`"), "{e}");
    let e = error("a: !GetAtt NoDot\n");
    assert!(e.message.contains("LogicalId.Attribute"), "{e}");
}

#[test]
fn syntax_errors_carry_the_parser_position() {
    let e = error("a: [1, 2\nb: 3\n");
    assert!(e.mark.is_some());
    assert!(e.message.starts_with("not valid YAML or JSON"), "{e}");
    let e = error("{\"a\": 1,, }");
    assert_eq!(e.mark.unwrap().line, 1);
}

#[test]
fn empty_and_multi_document_templates_are_rejected() {
    assert!(error("").message.contains("empty"));
    assert!(error("# only a comment\n").message.contains("empty"));
    let e = error("a: 1\n---\nb: 2\n");
    assert_eq!(at(&e), (2, 1));
}

#[test]
fn tab_indented_crlf_json_and_a_byte_order_mark_load() {
    let want = parse("{\"Resources\": {\"R\": {\"Type\": \"X\", \"N\": [1, 2]}}}");
    let tabs = "{\r\n\t\"Resources\": {\r\n\t\t\"R\": {\r\n\t\t\t\"Type\": \"X\",\r\n\t\t\t\"N\": [\r\n\t\t\t\t1,\r\n\t\t\t\t2\r\n\t\t\t]\r\n\t\t}\r\n\t}\r\n}";
    assert_eq!(parse(tabs).without_marks(), want.without_marks());
    let bom = "\u{feff}Resources:\r\n  R:\r\n    Type: X\r\n    N: [1, 2]\r\n";
    assert_eq!(parse(bom).without_marks(), want.without_marks());
}

#[test]
fn hostile_nesting_is_an_error_not_a_stack_overflow() {
    // Flow nesting: the parser's own limit (its scanner reads ahead) or ours, either way placed.
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = error(&deep);
    assert!(
        e.message.contains("recursion limit") || e.message.contains("nested more than"),
        "{e}"
    );
    assert_eq!(e.mark.unwrap().line, 1);
    // Block nesting: one mapping per line, each indented one more space.
    let block: String = (0..5000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let e = error(&block);
    assert!(
        e.message
            .contains(&format!("nested more than {MAX_DEPTH} deep")),
        "{e}"
    );
    // The mapping at line d is nested d deep; the first one too deep is at MAX_DEPTH + 1.
    assert_eq!(e.mark.unwrap().line, MAX_DEPTH + 1);
    // As deep as allowed still loads: the root mapping plus MAX_DEPTH - 1 sequences.
    let ok = format!(
        "a: {}{}",
        "[".repeat(MAX_DEPTH - 1),
        "]".repeat(MAX_DEPTH - 1)
    );
    parse(&ok);
}
