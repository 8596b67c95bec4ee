// The floor of the benchmark: a Node process that loads cdk8s, constructs and cdk8s-plus-27,
// constructs nothing and writes nothing. No cdk8s app can start faster.
import 'cdk8s';
import 'constructs';
import 'cdk8s-plus-27';
