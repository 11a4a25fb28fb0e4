package dev.kedge.edge.edged.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxState;

/**
 * kubelet's container GC for the pods Edged still runs: keeps the newest {@code maxPerPodContainerCount} exited
 * containers per pod container (the newest is the last state the status shows), at most {@code maxContainerCount}
 * exited ones on the node, and removes stopped sandboxes that hold no container any more. Orphans (pods gone from
 * {@code meta}) are the {@link PodTerminator}'s.
 */
final class RuntimeGc {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeGc.class);

    private final PodSettings settings;
    long removedContainers;
    long removedSandboxes;

    RuntimeGc(PodSettings settings) {
        this.settings = settings;
    }

    /** {@code idle} says which pods are not syncing now (only those are collected). */
    void collect(ContainerRuntime rt, Map<String, RuntimePod> pods, Predicate<String> idle,
            Map<String, String> currentSandbox) {
        List<ContainerInfo> keptDead = new ArrayList<>();
        for (RuntimePod p : pods.values()) {
            if (!idle.test(p.uid())) {
                continue;
            }
            Map<String, List<ContainerInfo>> dead = new HashMap<>();
            for (ContainerInfo c : p.containers()) {
                if (c.state() == ContainerState.EXITED) {
                    dead.computeIfAbsent(c.labels().get(CriLabels.CONTAINER_NAME), k -> new ArrayList<>()).add(c);
                }
            }
            for (List<ContainerInfo> list : dead.values()) {
                list.sort(Comparator.comparingLong(ContainerInfo::createdAtNanos).reversed());
                for (int i = 0; i < list.size(); i++) {
                    if (i < settings.maxPerPodContainerCount()) {
                        keptDead.add(list.get(i));
                    } else {
                        remove(rt, list.get(i));
                    }
                }
            }
            String current = currentSandbox.getOrDefault(p.uid(), "");
            for (SandboxInfo s : p.sandboxes()) {
                boolean empty = p.containers().stream().noneMatch(c -> c.sandboxId().equals(s.id()));
                if (s.state() == SandboxState.NOTREADY && !s.id().equals(current) && empty) {
                    try {
                        rt.removePodSandbox(s.id());
                        removedSandboxes++;
                    } catch (RuntimeCallException e) {
                        LOG.debug("sandbox {} not removed: {}", s.id(), e.getMessage());
                    }
                }
            }
        }
        int max = settings.maxContainerCount();
        if (max >= 0 && keptDead.size() > max) {
            keptDead.sort(Comparator.comparingLong(ContainerInfo::createdAtNanos));
            keptDead.subList(0, keptDead.size() - max).forEach(c -> remove(rt, c));
        }
    }

    private void remove(ContainerRuntime rt, ContainerInfo c) {
        try {
            rt.removeContainer(c.id());
            removedContainers++;
        } catch (RuntimeCallException e) {
            LOG.debug("container {} not removed: {}", c.id(), e.getMessage());
        }
    }
}
