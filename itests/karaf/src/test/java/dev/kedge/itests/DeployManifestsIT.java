package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * {@code deploy/} as a cluster admin applies it: {@code kubectl kustomize deploy/} then {@code kubectl apply
 * --dry-run=server} against the test API server, which validates every object (CRD schemas, RBAC rules, the
 * Deployment's probes and security context) without keeping any.
 */
public class DeployManifestsIT {

    static Path deployDir() {
        String dir = System.getProperty("kedge.deploy.dir");
        if (dir == null || !Files.isRegularFile(Path.of(dir, "kustomization.yaml"))) {
            fail("system property kedge.deploy.dir must name the repository's deploy/ folder; got " + dir);
        }
        return Path.of(dir);
    }

    static void requireKubeconfig() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || !Files.isRegularFile(Path.of(kubeconfig))) {
            fail("KUBECONFIG must point at the test API server (scripts/test.sh starts one with scripts/kube-up.sh); got "
                    + kubeconfig);
        }
    }

    /**
     * The kustomization's objects as YAML. policy/v1 (PodDisruptionBudget) arrived in Kubernetes 1.21: against an
     * older server (the test server is 1.20) the PDB is checked as policy/v1beta1, whose fields it uses are the same.
     */
    static String manifests() throws Exception {
        String yaml = Kubectl.run("kustomize", deployDir().toString());
        List<String> versions = List.of(Kubectl.run("api-versions").split("\\s+"));
        if (!versions.contains("policy/v1")) {
            String old = yaml;
            yaml = yaml.replace("apiVersion: policy/v1\nkind: PodDisruptionBudget",
                    "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget");
            assertTrue("the PDB is the only policy/v1 object", !old.equals(yaml));
            System.out.println("DEPLOY the server serves no policy/v1: PodDisruptionBudget checked as policy/v1beta1");
        }
        return yaml;
    }

    @Test
    public void everyManifestPassesTheApiServersDryRun() throws Exception {
        requireKubeconfig();
        String yaml = manifests();
        long objects = yaml.lines().filter(l -> l.startsWith("kind: ")).count();
        // a dry run does not create the namespace its objects live in: it must exist (the cloud creates it too)
        KedgeProcess.Result ns = Kubectl.tryRun("create", "namespace", "kubeedge");
        assertTrue(ns.output(), ns.exitCode() == 0 || ns.output().contains("AlreadyExists"));
        KedgeProcess.Result r = KedgeProcess.run(Path.of("."), List.of("kubectl", "apply", "--dry-run=server", "-f", "-"),
                Map.of(), 60, yaml);
        System.out.println("DEPLOY kubectl apply --dry-run=server -k deploy/ (" + objects + " objects):\n"
                + r.output().trim());
        assertEquals("kubectl apply --dry-run=server: " + r.output(), 0, r.exitCode());
        long accepted = r.output().lines().filter(l -> l.endsWith("(server dry run)")).count();
        assertEquals("every object accepted: " + r.output(), objects, accepted);
        for (String kind : List.of("Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget")) {
            assertTrue("deploy/ has a " + kind, yaml.contains("\nkind: " + kind + "\n"));
        }
        assertTrue("no wildcard rights", !yaml.contains("'*'") && !yaml.contains("\"*\"") && !yaml.contains("- '*'"));
    }
}
