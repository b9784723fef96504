use super::*;
use crate::import::cloudformation::load::load;

const FILE: &str = "web-stack.yaml";

fn try_stack(text: &str, params: &[(&str, &str)]) -> Result<Stack, ImportError> {
    let root = load(text, Path::new(FILE))?;
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Stack::new(&root, Path::new(FILE), &params)
}

fn stack(text: &str, params: &[(&str, &str)]) -> Stack {
    try_stack(text, params).unwrap_or_else(|e| panic!("{e}"))
}

const HEAD: &str = "\
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
  Port: {Type: Number, Default: 8080}
  Subnets: {Type: CommaDelimitedList, Default: 'subnet-1, subnet-2'}
  Weights: {Type: List<Number>, Default: '1,2'}
  Vpc: {Type: 'AWS::EC2::VPC::Id', Default: vpc-123}
Mappings:
  Sizes:
    prod: {Instance: m5.large, Count: 3}
    dev: {Instance: t3.micro, Count: 1}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Big: !And [!Condition IsProd, !Equals [!Ref Port, 8080]]
  Either: !Or [!Condition IsDev, !Condition Big]
";

/// The template HEAD + a resource `R` whose property `V` is `expr`, and a resource `LB`.
fn template(expr: &str) -> String {
    format!(
        "{HEAD}Resources:\n  LB:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n  DevOnly:\n    Type: AWS::EC2::VPC\n    Condition: IsDev\n  R:\n    Type: Test::Thing\n    Properties:\n      V: {expr}\n"
    )
}

fn try_eval_with(expr: &str, params: &[(&str, &str)]) -> Result<Node, ImportError> {
    let s = try_stack(&template(expr), params)?;
    let r = s.resources().iter().find(|r| r.logical_id == "R").unwrap();
    let v = s.resolve("R", &r.properties)?;
    Ok(v.get("V")
        .map_or(Node::new(Value::Null, Mark::default()), Node::without_marks))
}

fn eval(expr: &str) -> Node {
    try_eval_with(expr, &[]).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn eval_err(expr: &str) -> ImportError {
    match try_eval_with(expr, &[]) {
        Ok(v) => panic!("{expr}: expected an error, got {v:?}"),
        Err(e) => e,
    }
}

/// A YAML value, marks zeroed.
fn yaml(text: &str) -> Node {
    load(text, Path::new("x.yaml")).unwrap().without_marks()
}

fn string(s: &str) -> Node {
    Node::new(Value::String(s.to_string()), Mark::default())
}

#[test]
fn ref_parameters_pseudo_parameters_and_resources() {
    assert_eq!(eval("!Ref Env"), string("prod"));
    assert_eq!(eval("{Ref: Env}"), string("prod"));
    assert_eq!(eval("!Ref Port").value, Value::Number(8080.into()));
    assert_eq!(eval("!Ref Subnets"), yaml("[subnet-1, subnet-2]"));
    assert_eq!(eval("!Ref Weights"), yaml("[1, 2]"));
    assert_eq!(eval("!Ref Vpc"), string("vpc-123"));
    assert_eq!(eval("!Ref AWS::Region"), string("us-east-1"));
    assert_eq!(eval("!Ref AWS::AccountId"), string("123456789012"));
    assert_eq!(eval("!Ref AWS::StackName"), string("web-stack"));
    assert_eq!(eval("!Ref AWS::Partition"), string("aws"));
    assert_eq!(eval("!Ref AWS::URLSuffix"), string("amazonaws.com"));
    assert_eq!(eval("!Ref AWS::NotificationARNs"), yaml("[]"));
    assert_eq!(
        eval("!Ref AWS::StackId"),
        string(
            "arn:aws:cloudformation:us-east-1:123456789012:stack/web-stack/00000000-0000-0000-0000-000000000000"
        )
    );
    assert_eq!(eval("!Ref LB").value, Value::ResourceRef("LB".into()));
}

#[test]
fn pseudo_parameters_can_be_overridden() {
    let v = try_eval_with(
        "!Sub '${AWS::Region}/${AWS::AccountId}/${AWS::Partition}'",
        &[
            ("AWS::Region", "cn-north-1"),
            ("AWS::AccountId", "111122223333"),
        ],
    )
    .unwrap();
    assert_eq!(v, string("cn-north-1/111122223333/aws-cn"));
}

#[test]
fn get_att_short_and_long_forms() {
    let want = Value::ResourceAttr("LB".into(), "DNSName".into());
    assert_eq!(eval("!GetAtt LB.DNSName").value, want);
    assert_eq!(eval("!GetAtt [LB, DNSName]").value, want);
    assert_eq!(eval("{'Fn::GetAtt': [LB, DNSName]}").value, want);
    let e = eval_err("!GetAtt Missing.Arn");
    assert!(e.message.contains("`Missing`"), "{e}");
}

#[test]
fn sub_both_forms_with_parameters_resources_and_literals() {
    assert_eq!(
        eval("!Sub '${AWS::StackName}-${Env}:${Port}'"),
        string("web-stack-prod:8080")
    );
    assert_eq!(
        eval("{'Fn::Sub': ['${Name}-${Env}', {Name: !Ref Port}]}"),
        string("8080-prod")
    );
    assert_eq!(
        eval("!Sub 'http://${LB.DNSName}/${LB}'"),
        string("http://LB.DNSName/LB")
    );
    assert_eq!(eval("!Sub '${!Literal}-${Env}'"), string("${Literal}-prod"));
    let e = eval_err("!Sub '${Nope}'");
    assert!(e.message.contains("`${Nope}`"), "{e}");
}

#[test]
fn join_select_split() {
    assert_eq!(eval("!Join ['-', [a, !Ref Env, 3]]"), string("a-prod-3"));
    assert_eq!(
        eval("{'Fn::Join': [',', !Ref Subnets]}"),
        string("subnet-1,subnet-2")
    );
    assert_eq!(eval("!Select [1, !Ref Subnets]"), string("subnet-2"));
    assert_eq!(eval("!Select ['0', [x, y]]"), string("x"));
    assert!(
        eval_err("!Select [2, [x, y]]")
            .message
            .contains("past the end")
    );
    assert_eq!(eval("!Split [',', 'a,b,,c']"), yaml("[a, b, '', c]"));
    assert_eq!(
        eval("{'Fn::Split': ['|', !Join ['|', [x, y]]]}"),
        yaml("[x, y]")
    );
}

#[test]
fn if_chooses_a_branch_and_no_value_removes_it() {
    assert_eq!(eval("!If [IsProd, big, small]"), string("big"));
    assert_eq!(eval("{'Fn::If': [IsDev, big, small]}"), string("small"));
    assert_eq!(
        eval("[a, !If [IsDev, b, !Ref AWS::NoValue], c]"),
        yaml("[a, c]")
    );
    assert_eq!(
        eval("{Keep: 1, Drop: !If [IsProd, !Ref AWS::NoValue, 2]}"),
        yaml("{Keep: 1}")
    );
    // Only the chosen branch is evaluated: the other may refer to a resource left out.
    assert_eq!(eval("!If [IsDev, !Ref DevOnly, none]"), string("none"));
    let e = eval_err("!Ref DevOnly");
    assert!(e.message.contains("condition `IsDev` is false"), "{e}");
    let e = eval_err("!If [Nope, a, b]");
    assert!(e.message.contains("`Nope` is not defined"), "{e}");
}

#[test]
fn conditions_are_evaluated_once_and_filter_resources() {
    let s = stack(&template("1"), &[]);
    assert_eq!(s.condition_value("IsProd"), Some(true));
    assert_eq!(s.condition_value("IsDev"), Some(false));
    assert_eq!(s.condition_value("Big"), Some(true));
    assert_eq!(s.condition_value("Either"), Some(true));
    let ids: Vec<&str> = s
        .resources()
        .iter()
        .map(|r| r.logical_id.as_str())
        .collect();
    assert_eq!(ids, ["LB", "R"]);
    assert_eq!(s.left_out(), [("DevOnly".to_string(), "IsDev".to_string())]);

    let s = stack(&template("1"), &[("Env", "dev"), ("Port", "80")]);
    assert_eq!(s.condition_value("IsProd"), Some(false));
    assert_eq!(s.condition_value("Big"), Some(false));
    assert_eq!(s.condition_value("Either"), Some(true));
    assert_eq!(s.resources().len(), 3);
}

#[test]
fn boolean_functions_inside_values() {
    assert_eq!(eval("!Equals [!Ref Port, '8080']").value, Value::Bool(true));
    assert_eq!(eval("!Not [!Equals [a, b]]").value, Value::Bool(true));
    assert_eq!(
        eval("!And [!Condition IsProd, !Condition IsDev]").value,
        Value::Bool(false)
    );
    assert_eq!(
        eval("!Or [!Condition IsProd, !Condition IsDev]").value,
        Value::Bool(true)
    );
}

#[test]
fn condition_cycle_is_an_error() {
    let text = "\
Conditions:
  A: !And [!Condition B, !Equals [1, 1]]
  B: !Or [!Condition C, !Equals [1, 2]]
  C: !Not [!Condition A]
Resources:
  R: {Type: X}
";
    let e = try_stack(text, &[]).unwrap_err();
    assert!(e.message.contains("cycle: A → B → C → A"), "{e}");
    assert_eq!(e.context.as_deref(), Some("Conditions.C"));
    assert_eq!(e.mark.map(|m| m.line), Some(4));
}

#[test]
fn find_in_map_with_and_without_default() {
    assert_eq!(
        eval("!FindInMap [Sizes, !Ref Env, Instance]"),
        string("m5.large")
    );
    assert_eq!(
        eval("{'Fn::FindInMap': [Sizes, dev, Count]}").value,
        Value::Number(1.into())
    );
    assert_eq!(
        eval("!FindInMap [Sizes, test, Instance, {DefaultValue: t3.nano}]"),
        string("t3.nano")
    );
    let e = eval_err("!FindInMap [Sizes, test, Instance]");
    assert!(
        e.message.contains("no key `test` (its keys: prod, dev)"),
        "{e}"
    );
    assert!(
        eval_err("!FindInMap [Nope, a, b]")
            .message
            .contains("no mapping `Nope`")
    );
}

#[test]
fn get_azs_is_the_region_with_a_to_f() {
    let azs = yaml("[us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f]");
    assert_eq!(eval("!GetAZs ''"), azs);
    assert_eq!(eval("{'Fn::GetAZs': !Ref AWS::Region}"), azs);
    assert_eq!(eval("!Select [0, !GetAZs eu-west-1]"), string("eu-west-1a"));
}

#[test]
fn cidr_base64_length_to_json_string() {
    assert_eq!(
        eval("!Cidr [10.0.0.0/16, 2, 8]"),
        yaml("[10.0.0.0/24, 10.0.1.0/24]")
    );
    assert_eq!(
        eval("{'Fn::Cidr': ['192.168.0.0/24', '2', '6']}"),
        yaml("[192.168.0.0/26, 192.168.0.64/26]")
    );
    assert!(
        eval_err("!Cidr [10.0.0.0/24, 4, 7]")
            .message
            .contains("holds only 2")
    );
    // RFC 4648: "foobar" ⇒ "Zm9vYmFy".
    assert_eq!(eval("!Base64 foobar"), string("Zm9vYmFy"));
    assert_eq!(eval("{'Fn::Base64': !Sub '${Env}'}"), string("cHJvZA=="));
    assert_eq!(eval("!Length [a, b, c]").value, Value::Number(3.into()));
    assert_eq!(
        eval("{'Fn::Length': !Ref Subnets}").value,
        Value::Number(2.into())
    );
    assert_eq!(
        eval("!ToJsonString {b: 1, a: [x, !Ref Env], c: !Ref LB}"),
        string(r#"{"b":1,"a":["x","prod"],"c":"LB"}"#)
    );
}

#[test]
fn import_value_and_transform_name_the_resource_and_position() {
    let e = eval_err("!ImportValue SharedVpc");
    assert_eq!(e.context.as_deref(), Some("Resources.R"));
    let m = e.mark.unwrap();
    // The property `V:` is on the last line of the template; its value starts at column 10.
    let line = template("x").lines().count();
    assert_eq!((m.line, m.column), (line, 10));
    assert!(e.message.contains("without the deployed stack"), "{e}");
    assert!(
        e.line()
            .starts_with(&format!("{FILE}:{line}:10: Resources.R: Fn::ImportValue"))
    );
    let e = eval_err("{'Fn::Transform': {Name: M}}");
    assert!(e.message.contains("without the deployed macro"), "{e}");
    let e = eval_err("{'Fn::Nope': 1}");
    assert!(
        e.message.contains("unknown intrinsic function `Fn::Nope`"),
        "{e}"
    );
}

#[test]
fn parameter_overrides_and_constraint_errors() {
    let s = stack(&template("1"), &[("Env", "dev"), ("Port", "80")]);
    let p = &s.parameters()[0];
    assert_eq!((p.name.as_str(), p.given), ("Env", true));
    assert_eq!(p.value.as_str(), Some("dev"));
    assert_eq!(s.parameters()[1].value.value, Value::Number(80.into()));
    assert!(!s.parameters()[2].given);

    let e = try_stack(&template("1"), &[("Env", "test")]).unwrap_err();
    assert_eq!(e.context.as_deref(), Some("Parameters.Env"));
    assert!(
        e.message
            .contains("`test` is not one of the AllowedValues (prod, dev)"),
        "{e}"
    );
    let e = try_stack(&template("1"), &[("Port", "eighty")]).unwrap_err();
    assert!(e.message.contains("`eighty` is not a number"), "{e}");
    let e = try_stack(&template("1"), &[("Weights", "1,x")]).unwrap_err();
    assert!(e.message.contains("`x` is not a number"), "{e}");
    let e = try_stack(&template("1"), &[("Nope", "1")]).unwrap_err();
    assert!(
        e.message
            .contains("its parameters: Env, Port, Subnets, Weights, Vpc"),
        "{e}"
    );

    let limits = "\
Parameters:
  Name: {Type: String, Default: abc, MinLength: 2, MaxLength: 4}
  Size: {Type: Number, Default: 5, MinValue: 1, MaxValue: 10}
  Needed: {Type: String}
Resources:
  R: {Type: X}
";
    let ok = [("Needed", "x")];
    assert!(try_stack(limits, &ok).is_ok());
    let e = try_stack(limits, &[("Needed", "x"), ("Name", "a")]).unwrap_err();
    assert!(e.message.contains("shorter than MinLength 2"), "{e}");
    let e = try_stack(limits, &[("Needed", "x"), ("Name", "abcde")]).unwrap_err();
    assert!(e.message.contains("longer than MaxLength 4"), "{e}");
    let e = try_stack(limits, &[("Needed", "x"), ("Size", "0")]).unwrap_err();
    assert!(e.message.contains("below MinValue 1"), "{e}");
    let e = try_stack(limits, &[("Needed", "x"), ("Size", "11")]).unwrap_err();
    assert!(e.message.contains("above MaxValue 10"), "{e}");
    let e = try_stack(limits, &[]).unwrap_err();
    assert_eq!(e.context.as_deref(), Some("Parameters.Needed"));
    assert!(e.message.contains("--parameters Needed=VALUE"), "{e}");
    assert_eq!(e.mark.map(|m| m.line), Some(4));
}

#[test]
fn sections_and_resources_are_checked() {
    let e = try_stack("Resource:\n  R: {Type: X}\n", &[]).unwrap_err();
    assert!(
        e.message.contains("unknown template section `Resource`"),
        "{e}"
    );
    let e = try_stack("Description: x\n", &[]).unwrap_err();
    assert!(e.message.contains("no Resources section"), "{e}");
    let e = try_stack("Resources:\n  R:\n    Properties: {}\n", &[]).unwrap_err();
    assert_eq!(e.context.as_deref(), Some("Resources.R"));
    assert!(e.message.contains("no Type"), "{e}");
    let e = try_stack("Resources:\n  R: {Type: X, Condition: Nope}\n", &[]).unwrap_err();
    assert!(e.message.contains("`Nope` is not defined"), "{e}");
    let s = stack(
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: d\nMetadata: {}\nRules: {}\nTransform: AWS::LanguageExtensions\nOutputs: {}\nResources:\n  R: {Type: X}\n",
        &[],
    );
    assert_eq!(s.resources()[0].properties.value, Value::Map(Vec::new()));
    assert_eq!(s.resources()[0].type_name, "X");
    assert_eq!(s.file(), Path::new(FILE));
}

#[test]
fn json_template_resolves_like_yaml() {
    let json = r#"{
  "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
  "Resources": {
    "LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
    "R": {"Type": "T", "Properties": {"V": {"Fn::Join": ["-", [{"Ref": "Env"}, {"Fn::GetAtt": ["LB", "DNSName"]}]]}}}
  }
}"#;
    let yaml_text = "Parameters:\n  Env: {Type: String, Default: prod}\nResources:\n  LB: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}\n  R:\n    Type: T\n    Properties:\n      V: !Join ['-', [!Ref Env, !GetAtt LB.DNSName]]\n";
    let resolve = |text: &str| {
        let s = stack(text, &[]);
        s.resolve("R", &s.resources()[1].properties)
            .unwrap()
            .without_marks()
    };
    assert_eq!(resolve(json), resolve(yaml_text));
    assert_eq!(resolve(json).get("V"), Some(&string("prod-LB.DNSName")));
}

/// A typical ALB + Auto Scaling template, as AWS's examples write them, resolves end to end.
#[test]
fn a_typical_alb_template_resolves() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Web tier
Parameters:
  InstanceType:
    Type: String
    Default: t3.micro
    AllowedValues: [t3.micro, t3.small]
  DesiredCapacity: {Type: Number, Default: 2, MinValue: 1, MaxValue: 10}
  LatestAmiId:
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Conditions:
  HasTwo: !Not [!Equals [!Ref DesiredCapacity, 1]]
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      AvailabilityZone: !Select [0, !GetAZs ""]
      CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 2, 8]]
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      AvailabilityZone: !Select [1, !GetAZs ""]
      CidrBlock: !Select [1, !Cidr [10.0.0.0/16, 2, 8]]
  ALB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [!Ref SubnetA, !If [HasTwo, !Ref SubnetB, !Ref "AWS::NoValue"]]
      LoadBalancerAttributes:
        - Key: idle_timeout.timeout_seconds
          Value: "60"
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      VpcId: !Ref VPC
      HealthCheckPath: /index.html
      TargetGroupAttributes:
        - Key: slow_start.duration_seconds
          Value: 30
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref ALB
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref TG
  LaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref LatestAmiId
        InstanceType: !Ref InstanceType
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            echo ${AWS::StackName} > /var/www/html/index.html
  ASG:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "4"
      DesiredCapacity: !Ref DesiredCapacity
      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]
      TargetGroupARNs: [!Ref TG]
      LaunchTemplate:
        LaunchTemplateId: !Ref LaunchTemplate
        Version: !GetAtt LaunchTemplate.LatestVersionNumber
Outputs:
  URL:
    Value: !Sub "http://${ALB.DNSName}/"
"#;
    let s = stack(text, &[]);
    let ids: Vec<&str> = s
        .resources()
        .iter()
        .map(|r| r.logical_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "VPC",
            "SubnetA",
            "SubnetB",
            "ALB",
            "TG",
            "Listener",
            "LaunchTemplate",
            "ASG"
        ]
    );
    let props = |id: &str| {
        let r = s.resources().iter().find(|r| r.logical_id == id).unwrap();
        s.resolve(id, &r.properties).unwrap().without_marks()
    };
    let b = props("SubnetB");
    assert_eq!(b.get("AvailabilityZone"), Some(&string("us-east-1b")));
    assert_eq!(b.get("CidrBlock"), Some(&string("10.0.1.0/24")));
    let alb = props("ALB");
    assert_eq!(alb.get("Subnets").unwrap().as_list().unwrap().len(), 2);
    let tg = props("TG");
    assert_eq!(tg.get("Port").unwrap().value, Value::Number(80.into()));
    let lt = props("LaunchTemplate");
    let user_data = lt
        .get("LaunchTemplateData")
        .unwrap()
        .get("UserData")
        .unwrap();
    // Base64 of "#!/bin/bash\necho web-stack > /var/www/html/index.html\n".
    assert_eq!(
        user_data.as_str(),
        Some("IyEvYmluL2Jhc2gKZWNobyB3ZWItc3RhY2sgPiAvdmFyL3d3dy9odG1sL2luZGV4Lmh0bWwK")
    );
    let asg = props("ASG");
    assert_eq!(
        asg.get("DesiredCapacity").unwrap().value,
        Value::Number(2.into())
    );
    assert_eq!(
        asg.get("LaunchTemplate")
            .unwrap()
            .get("Version")
            .unwrap()
            .value,
        Value::ResourceAttr("LaunchTemplate".into(), "LatestVersionNumber".into())
    );
    let root = load(text, Path::new(FILE)).unwrap();
    let url = root
        .get("Outputs")
        .unwrap()
        .get("URL")
        .unwrap()
        .get("Value")
        .unwrap();
    assert_eq!(
        s.resolve_in("Outputs.URL", url).unwrap().as_str(),
        Some("http://ALB.DNSName/")
    );

    // With one instance the condition is false and the second subnet drops out of the list.
    let s = stack(text, &[("DesiredCapacity", "1")]);
    let alb = s
        .resources()
        .iter()
        .find(|r| r.logical_id == "ALB")
        .unwrap();
    let v = s.resolve("ALB", &alb.properties).unwrap();
    assert_eq!(v.get("Subnets").unwrap().as_list().unwrap().len(), 1);
}

#[test]
fn a_long_chain_of_conditions_is_an_error_not_a_stack_overflow() {
    let mut text = String::from("Conditions:\n");
    for i in 0..10_000 {
        text.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i + 1));
    }
    text.push_str("  C10000: !Equals [a, a]\nResources:\n  R: {Type: X}\n");
    let e = try_stack(&text, &[]).unwrap_err();
    assert!(e.message.contains("more than 64 deep"), "{e}");
    // A chain within the limit evaluates: C0 is 63 negations of true, so false.
    let mut text = String::from("Conditions:\n");
    for i in 0..63 {
        text.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i + 1));
    }
    text.push_str("  C63: !Equals [a, a]\nResources:\n  R: {Type: X}\n");
    assert_eq!(stack(&text, &[]).condition_value("C0"), Some(false));
}
