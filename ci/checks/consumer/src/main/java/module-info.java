/**
 * The consumer as a named module: on the module path it needs the inference artifact alone
 * (dev.gpt2java and, through it, dev.gpt2java.ffi), never the Vector API. ci/checks/consumer-test.sh
 * checks the resolved modules; on the class path this descriptor is ignored.
 */
module example {
    requires dev.gpt2java;
}
