package dev.kedge.cloud.controller;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The EdgeController as operators see it. */
@ProviderType
public interface EdgeController {

    /** Every edge node known from the API server (label {@code node-role.kubernetes.io/edge}), and connected ones. */
    List<EdgeNodeInfo> nodes();

    /** Counters by name: downstream sends by operation and type, ledger skips, upstream requests, API errors, refusals. */
    Map<String, Long> counters();
}
