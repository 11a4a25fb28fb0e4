package dev.kedge.edge.edged.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.KeyValue;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.Mount;
import dev.kedge.edge.cri.PortMapping;
import dev.kedge.edge.cri.SandboxSpec;

/** Pod JSON → CRI specs: env, envFrom/valueFrom/fieldRef, resources, mounts, sandbox identity and DNS. */
class ContainerSpecFactoryTest {
    private static final Resources.Capacity NODE = new Resources.Capacity(2000, 4L << 30);

    @TempDir
    Path tmp;

    private final FakeObjects objects = new FakeObjects();

    private ContainerSpecFactory factory() throws Exception {
        Path resolv = tmp.resolve("resolv.conf");
        Files.writeString(resolv, "# host\nnameserver 10.0.0.53\nsearch lan corp\noptions ndots:2 edns0\n");
        return new ContainerSpecFactory(objects, NODE, resolv, null);
    }

    private static JsonNode pod(String spec) {
        return FakeObjects.json("{'metadata':{'name':'web','namespace':'prod','uid':'u-1','labels':{'app':'web'},"
                + "'annotations':{'team':'edge'}},'spec':{'nodeName':'edge-1','serviceAccountName':'sa'," + spec + "}}");
    }

    private ContainerSpec container(JsonNode pod) throws Exception {
        return factory().container(pod, pod.path("spec").path("containers").get(0), 3, "sha256:abc",
                Map.of(), "10.1.0.7", "192.0.2.10", "edge-1");
    }

    private static Map<String, String> env(ContainerSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : spec.env()) {
            out.put(kv.key(), kv.value());
        }
        return out;
    }

    @Test
    void envIsExpandedInOrderAndCommandArgsToo() throws Exception {
        ContainerSpec s = container(pod("'containers':[{'name':'app','image':'busybox','command':['sh','-c',"
                + "'echo $(GREETING) $$(GREETING) $(UNKNOWN)'],'args':['$(NAME)'],'workingDir':'/w',"
                + "'env':[{'name':'NAME','value':'world'},{'name':'GREETING','value':'hello $(NAME)'},"
                + "{'name':'LATER','value':'$(AFTER)'},{'name':'AFTER','value':'x'},{'name':'NAME','value':'again'}],"
                + "'tty':true,'stdin':true}]"));
        assertEquals(List.of("sh", "-c", "echo hello world $(GREETING) $(UNKNOWN)"), s.command());
        assertEquals(List.of("again"), s.args(), "args see the final value of NAME");
        Map<String, String> env = env(s);
        assertEquals("hello world", env.get("GREETING"));
        assertEquals("$(AFTER)", env.get("LATER"), "only variables defined before are expanded");
        assertEquals(List.of("NAME", "GREETING", "LATER", "AFTER"), List.copyOf(env.keySet()));
        assertEquals("/w", s.workingDir());
        assertEquals("app/3.log", s.logPath());
        assertEquals("sha256:abc", s.image());
        assertEquals(3, s.attempt());
        assertTrue(s.tty() && s.stdin());
        assertFalse(s.privileged());
    }

    @Test
    void envFromAndValueFromResolveConfigMapsSecretsAndFields() throws Exception {
        objects.configMap("prod", "cfg", Map.of("LEVEL", "debug", "bad-name!", "x", "PORT", "8080"))
                .secret("prod", "sec", Map.of("PASSWORD", "pw"));
        ContainerSpec s = container(pod("'containers':[{'name':'app','envFrom':[{'configMapRef':{'name':'cfg'}},"
                + "{'prefix':'S_','secretRef':{'name':'sec'}},{'configMapRef':{'name':'nope','optional':true}}],"
                + "'env':[{'name':'LEVEL','value':'info'},"
                + "{'name':'P','valueFrom':{'configMapKeyRef':{'name':'cfg','key':'PORT'}}},"
                + "{'name':'PW','valueFrom':{'secretKeyRef':{'name':'sec','key':'PASSWORD'}}},"
                + "{'name':'OPT','valueFrom':{'secretKeyRef':{'name':'sec','key':'none','optional':true}}},"
                + "{'name':'POD','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}},"
                + "{'name':'NS','valueFrom':{'fieldRef':{'fieldPath':'metadata.namespace'}}},"
                + "{'name':'UID','valueFrom':{'fieldRef':{'fieldPath':'metadata.uid'}}},"
                + "{'name':'NODE','valueFrom':{'fieldRef':{'fieldPath':'spec.nodeName'}}},"
                + "{'name':'SA','valueFrom':{'fieldRef':{'fieldPath':'spec.serviceAccountName'}}},"
                + "{'name':'IP','valueFrom':{'fieldRef':{'fieldPath':'status.podIP'}}},"
                + "{'name':'HOST','valueFrom':{'fieldRef':{'fieldPath':'status.hostIP'}}},"
                + "{'name':'APP','valueFrom':{'fieldRef':{'fieldPath':'metadata.labels[`app`]'}}},"
                + "{'name':'TEAM','valueFrom':{'fieldRef':{'fieldPath':'metadata.annotations[`team`]'}}},"
                + "{'name':'URL','value':'http://$(IP):$(P)'},"
                + "{'name':'CPU','valueFrom':{'resourceFieldRef':{'resource':'limits.cpu'}}},"
                + "{'name':'MEM','valueFrom':{'resourceFieldRef':{'resource':'limits.memory','divisor':'1Mi'}}},"
                + "{'name':'REQ','valueFrom':{'resourceFieldRef':{'resource':'requests.cpu','divisor':'1m'}}}"
                + "],'resources':{'limits':{'memory':'100Mi'},'requests':{'cpu':'250m'}}}]"));
        Map<String, String> env = env(s);
        assertEquals("info", env.get("LEVEL"), "env overrides envFrom");
        assertFalse(env.containsKey("bad-name!"), "invalid names from envFrom are skipped");
        assertEquals("pw", env.get("S_PASSWORD"));
        assertEquals("8080", env.get("P"));
        assertEquals("pw", env.get("PW"));
        assertFalse(env.containsKey("OPT"));
        assertEquals("web", env.get("POD"));
        assertEquals("prod", env.get("NS"));
        assertEquals("u-1", env.get("UID"));
        assertEquals("edge-1", env.get("NODE"));
        assertEquals("sa", env.get("SA"));
        assertEquals("10.1.0.7", env.get("IP"));
        assertEquals("192.0.2.10", env.get("HOST"));
        assertEquals("web", env.get("APP"));
        assertEquals("edge", env.get("TEAM"));
        assertEquals("http://10.1.0.7:8080", env.get("URL"));
        assertEquals("2", env.get("CPU"), "no cpu limit: the node's cores");
        assertEquals("100", env.get("MEM"));
        assertEquals("250", env.get("REQ"));
    }

    @Test
    void missingReferencesAreConfigErrors() {
        objects.configMap("prod", "cfg", Map.of("A", "1"));
        for (String env : List.of("{'name':'X','valueFrom':{'configMapKeyRef':{'name':'nope','key':'A'}}}",
                "{'name':'X','valueFrom':{'configMapKeyRef':{'name':'cfg','key':'B'}}}",
                "{'name':'X','valueFrom':{'secretKeyRef':{'name':'nope','key':'A'}}}",
                "{'name':'X','valueFrom':{'fieldRef':{'fieldPath':'spec.bogus'}}}")) {
            PodSpecException e = assertThrows(PodSpecException.class,
                    () -> container(pod("'containers':[{'name':'app','env':[" + env + "]}]")), env);
            assertEquals("CreateContainerConfigError", e.reason(), env);
        }
        PodSpecException e = assertThrows(PodSpecException.class,
                () -> container(pod("'containers':[{'name':'app','envFrom':[{'configMapRef':{'name':'nope'}}]}]")));
        assertEquals("configmap \"nope\" not found", e.getMessage());
        e = assertThrows(PodSpecException.class,
                () -> container(pod("'containers':[{'name':'app','env':[{'name':'X','valueFrom':{'configMapKeyRef':"
                        + "{'name':'cfg','key':'B'}}}]}]")));
        assertEquals("couldn't find key B in ConfigMap cfg", e.getMessage());
    }

    @Test
    void resourcesBecomeLinuxResourcesAsKubeletComputesThem() throws Exception {
        LinuxResources burstable = container(pod("'containers':[{'name':'a','resources':{'requests':{'cpu':'250m',"
                + "'memory':'1Gi'},'limits':{'cpu':'1500m','memory':'2Gi'}}}]")).resources();
        assertEquals(256, burstable.cpuShares());
        assertEquals(150_000, burstable.cpuQuota());
        assertEquals(100_000, burstable.cpuPeriod());
        assertEquals(2L << 30, burstable.memoryLimitBytes());
        assertEquals(1000 - 1000 * (1L << 30) / (4L << 30), burstable.oomScoreAdj());

        LinuxResources limitOnly = container(pod("'containers':[{'name':'a','resources':{'limits':{'cpu':'2',"
                + "'memory':'128M'}}}]")).resources();
        assertEquals(2048, limitOnly.cpuShares(), "request defaults to the limit");
        assertEquals(200_000, limitOnly.cpuQuota());
        assertEquals(128_000_000, limitOnly.memoryLimitBytes());
        assertEquals(-998, limitOnly.oomScoreAdj(), "Guaranteed");

        LinuxResources none = container(pod("'containers':[{'name':'a'}]")).resources();
        assertEquals(new LinuxResources(2, 0, 0, 0, 1000), none, "BestEffort: minimum shares, no limits");

        LinuxResources tiny = container(pod("'containers':[{'name':'a','resources':{'requests':{'cpu':'1m'},"
                + "'limits':{'cpu':'5m'}}}]")).resources();
        assertEquals(2, tiny.cpuShares());
        assertEquals(1000, tiny.cpuQuota(), "quota never below 1 ms");

        assertEquals("Burstable", ContainerSpecFactory.qosClass(pod("'containers':[{'name':'a','resources':"
                + "{'requests':{'cpu':'1'}}}]")));
        PodSpecException e = assertThrows(PodSpecException.class, () -> container(pod(
                "'containers':[{'name':'a','resources':{'limits':{'memory':'lots'}}}]")));
        assertEquals("CreateContainerConfigError", e.reason());
    }

    @Test
    void mountsSecurityContextLabelsAndHash() throws Exception {
        Path vol = tmp.resolve("vol");
        Files.createDirectories(vol);
        JsonNode pod = pod("'securityContext':{'runAsUser':1000},'terminationGracePeriodSeconds':5,"
                + "'containers':[{'name':'app','env':[{'name':'SUB','value':'logs'}],'volumeMounts':["
                + "{'name':'data','mountPath':'/data'},{'name':'data','mountPath':'/cfg','subPath':'conf/x',"
                + "'readOnly':true},{'name':'data','mountPath':'/l','subPathExpr':'$(SUB)'}],"
                + "'securityContext':{'readOnlyRootFilesystem':true}}]");
        ContainerSpec s = factory().container(pod, pod.path("spec").path("containers").get(0), 0, "img",
                Map.of("data", vol), "", "", "edge-1");
        assertEquals(List.of(new Mount("/data", vol.toString(), false),
                new Mount("/cfg", vol.resolve("conf/x").toRealPath().toString(), true),
                new Mount("/l", vol.resolve("logs").toRealPath().toString(), false)), s.mounts());
        assertTrue(Files.isDirectory(vol.resolve("conf/x")), "subPath created as kubelet does");
        assertEquals(Long.valueOf(1000), s.runAsUser(), "pod securityContext applies");
        assertTrue(s.readOnlyRootFilesystem());
        assertEquals(Map.of("io.kubernetes.container.name", "app", "io.kubernetes.pod.name", "web",
                "io.kubernetes.pod.namespace", "prod", "io.kubernetes.pod.uid", "u-1"), s.labels());
        assertEquals("0", s.annotations().get(ContainerSpecFactory.RESTART_COUNT));
        assertEquals("5", s.annotations().get(ContainerSpecFactory.TERMINATION_GRACE_PERIOD));
        String hash = s.annotations().get(ContainerSpecFactory.CONTAINER_HASH);
        assertEquals(hash, ContainerSpecFactory.hash(FakeObjects.json("{'securityContext':{'readOnlyRootFilesystem'"
                + ":true},'volumeMounts':" + pod.path("spec").path("containers").get(0).get("volumeMounts")
                        .toString().replace('"', '\'') + ",'env':[{'value':'logs','name':'SUB'}],'name':'app'}")),
                "the hash ignores key order");
        assertNotEquals(hash, ContainerSpecFactory.hash(FakeObjects.json("{'name':'app2'}")));
        assertEquals("x", ContainerSpecFactory.withAnnotations(s, Map.of("k", "x")).annotations().get("k"));

        JsonNode override = pod("'securityContext':{'runAsUser':1000},'containers':[{'name':'a','securityContext':"
                + "{'runAsUser':0,'privileged':true}}]");
        ContainerSpec o = container(override);
        assertEquals(Long.valueOf(0), o.runAsUser());
        JsonNode cfgPod = pod("'volumes':[{'name':'cfg','configMap':{'name':'x'}}],'containers':[{'name':'a',"
                + "'volumeMounts':[{'name':'cfg','mountPath':'/etc/app'}]}]");
        assertTrue(factory().container(cfgPod, cfgPod.path("spec").path("containers").get(0), 0, "img",
                Map.of("cfg", vol), "", "", "").mounts().get(0).readOnly(), "API data volumes are read-only");
        assertTrue(o.privileged());
        assertNull(container(pod("'containers':[{'name':'a'}]")).runAsUser());

        for (String mount : List.of("{'name':'other','mountPath':'/x'}", "{'name':'data','mountPath':'/x',"
                + "'subPath':'../../etc'}", "{'name':'data','mountPath':'/x','subPath':'/etc'}")) {
            JsonNode bad = pod("'containers':[{'name':'a','volumeMounts':[" + mount + "]}]");
            PodSpecException e = assertThrows(PodSpecException.class, () -> factory().container(bad,
                    bad.path("spec").path("containers").get(0), 0, "img", Map.of("data", vol), "", "", ""), mount);
            assertEquals("CreateContainerConfigError", e.reason());
        }
        Files.createSymbolicLink(vol.resolve("escape"), Path.of("/etc"));
        JsonNode escape = pod("'containers':[{'name':'a','volumeMounts':[{'name':'data','mountPath':'/x',"
                + "'subPath':'escape'}]}]");
        assertThrows(PodSpecException.class, () -> factory().container(escape,
                escape.path("spec").path("containers").get(0), 0, "img", Map.of("data", vol), "", "", ""));
    }

    @Test
    void managedEtcHostsNamesThePodAndItsAliases() throws Exception {
        Path pods = tmp.resolve("pods");
        ContainerSpecFactory withHosts = new ContainerSpecFactory(objects, NODE, tmp.resolve("none"), pods);
        JsonNode pod = pod("'hostAliases':[{'ip':'10.9.9.9','hostnames':['db','db.local']}],"
                + "'containers':[{'name':'a'}]");
        ContainerSpec s = withHosts.container(pod, pod.path("spec").path("containers").get(0), 0, "img", Map.of(),
                "10.1.0.7", "192.0.2.10", "edge-1");
        Path hosts = pods.resolve("u-1/etc-hosts");
        assertEquals(List.of(new Mount("/etc/hosts", hosts.toString(), false)), s.mounts());
        String text = Files.readString(hosts);
        assertTrue(text.startsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"), text);
        assertTrue(text.contains("\n10.1.0.7\tweb\n"), text);
        assertTrue(text.endsWith("# Entries added by HostAliases.\n10.9.9.9\tdb\tdb.local\n"), text);

        assertEquals(List.of(), withHosts.container(pod, pod.path("spec").path("containers").get(0), 0, "img",
                Map.of(), "", "", "edge-1").mounts(), "no IP yet: the runtime's file");

        JsonNode logged = pod("'containers':[{'name':'a','terminationMessagePath':'/dev/termination-log'}]");
        ContainerSpec t = withHosts.container(logged, logged.path("spec").path("containers").get(0), 2, "img",
                Map.of(), "", "", "edge-1");
        Path message = ContainerSpecFactory.terminationMessagePath(pods, "u-1", "a", 2);
        assertEquals(List.of(new Mount("/dev/termination-log", message.toString(), false)), t.mounts());
        assertTrue(Files.isRegularFile(message));
        assertEquals(0666, AtomicWriter.mode(Files.getPosixFilePermissions(message)));
        Path vol = Files.createDirectories(tmp.resolve("own"));
        JsonNode own = pod("'containers':[{'name':'a','volumeMounts':[{'name':'h','mountPath':'/etc/hosts'}]}]");
        assertEquals(1, withHosts.container(own, own.path("spec").path("containers").get(0), 0, "img",
                Map.of("h", vol), "10.1.0.7", "", "").mounts().size(), "a container's own /etc/hosts wins");
    }

    @Test
    void sandboxCarriesIdentityPortsHostnameAndDns() throws Exception {
        SandboxSpec s = factory().sandbox(pod("'containers':[{'name':'a','ports':[{'containerPort':80,'hostPort':8080},"
                + "{'containerPort':53,'protocol':'UDP'}]}]"), 1, "/var/log/pods/prod_web_u-1");
        assertEquals("web", s.name());
        assertEquals("prod", s.namespace());
        assertEquals("u-1", s.uid());
        assertEquals(1, s.attempt());
        assertEquals("web", s.hostname());
        assertFalse(s.hostNetwork());
        assertEquals("/var/log/pods/prod_web_u-1", s.logDirectory());
        assertEquals(Map.of("app", "web", "io.kubernetes.pod.name", "web", "io.kubernetes.pod.namespace", "prod",
                "io.kubernetes.pod.uid", "u-1"), s.labels());
        assertEquals(Map.of("team", "edge"), s.annotations());
        assertEquals(List.of(new PortMapping("TCP", 80, 8080, ""), new PortMapping("UDP", 53, 0, "")),
                s.portMappings());
        assertEquals("", s.cgroupParent());
        assertEquals(List.of(), s.dnsServers(), "no dnsConfig: the host's resolv.conf");

        SandboxSpec host = factory().sandbox(pod("'hostNetwork':true,'hostname':'h','dnsPolicy':"
                + "'ClusterFirstWithHostNet','containers':[]"), 0, "/l");
        assertEquals("", host.hostname());
        assertTrue(host.hostNetwork());
        assertEquals(List.of(), host.dnsServers());

        SandboxSpec named = factory().sandbox(pod("'hostname':'db-0','dnsConfig':{'nameservers':['1.1.1.1'],"
                + "'searches':['svc.local'],'options':[{'name':'ndots','value':'5'},{'name':'rotate'}]},"
                + "'containers':[]"), 0, "/l");
        assertEquals("db-0", named.hostname());
        assertEquals(List.of("10.0.0.53", "1.1.1.1"), named.dnsServers(), "merged with the host's");
        assertEquals(List.of("lan", "corp", "svc.local"), named.dnsSearches());
        assertEquals(List.of("ndots:5", "edns0", "rotate"), named.dnsOptions());

        SandboxSpec none = factory().sandbox(pod("'dnsPolicy':'None','dnsConfig':{'nameservers':['9.9.9.9']},"
                + "'containers':[]"), 0, "/l");
        assertEquals(List.of("9.9.9.9"), none.dnsServers());
        assertEquals(List.of(), none.dnsSearches());
    }
}
