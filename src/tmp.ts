export * from "../imports/projectcalico.org"; export * from "../imports/operator.tigera.io";
