package dev.dnsgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** The shipped Kubernetes manifests keep what a DNS pod needs: both protocols, probes, rules, limits. */
class KubernetesManifestsTest {

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String file) throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(Path.of("deploy/kubernetes", file))) {
      for (Object doc : new Yaml().loadAll(reader)) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      current = ((Map<String, Object>) current).get(key);
      assertNotNull(current, "missing " + String.join(".", path));
    }
    return (T) current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> podSpec(List<Map<String, Object>> docs) {
    for (Map<String, Object> doc : docs) {
      if (doc.get("kind").equals("Pod")) {
        return at(doc, "spec");
      }
      if (doc.get("kind").equals("DaemonSet")) {
        return at(doc, "spec", "template", "spec");
      }
    }
    throw new AssertionError("no Pod or DaemonSet");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> dnsgate(Map<String, Object> pod) {
    return ((List<Map<String, Object>>) pod.get("containers")).stream()
        .filter(c -> c.get("name").toString().startsWith("dnsgate")).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar.yaml", "node-resolver.yaml"})
  @SuppressWarnings("unchecked")
  void podServesDnsOnUdpAndTcpWithProbesRulesAndHardening(String file) throws Exception {
    List<Map<String, Object>> docs = documents(file);
    Map<String, Object> pod = podSpec(docs);
    Map<String, Object> container = dnsgate(pod);

    List<Map<String, Object>> ports = at(container, "ports");
    Set<String> dns = ports.stream().filter(p -> Integer.valueOf(53).equals(p.get("containerPort")))
        .map(p -> (String) p.get("protocol")).collect(Collectors.toSet());
    assertEquals(Set.of("UDP", "TCP"), dns, "port 53 over both protocols");

    assertEquals("/q/health/ready", at(container, "readinessProbe", "httpGet", "path"));
    assertEquals("/q/health/live", at(container, "livenessProbe", "httpGet", "path"));
    String requested = at(container, "resources", "requests", "memory");
    String limit = at(container, "resources", "limits", "memory");
    assertTrue(requested.matches("\\d+Mi") && limit.matches("\\d+Mi"), requested + " / " + limit);
    assertTrue(Integer.parseInt(limit.replace("Mi", "")) >= 300, "the limit holds the documented RSS bound (300 MB)");

    Map<String, Object> security = at(container, "securityContext");
    assertEquals(true, security.get("runAsNonRoot"));
    assertEquals(true, security.get("readOnlyRootFilesystem"));
    assertEquals(List.of("ALL"), at(security, "capabilities", "drop"));
    assertEquals(List.of("NET_BIND_SERVICE"), at(security, "capabilities", "add"));
    List<Map<String, Object>> sysctls = at(pod, "securityContext", "sysctls");
    assertTrue(sysctls.stream().anyMatch(s -> s.get("name").equals("net.ipv4.ip_unprivileged_port_start")));

    List<Map<String, Object>> mounts = at(container, "volumeMounts");
    Map<String, Object> rulesMount = mounts.stream().filter(m -> m.get("mountPath").equals("/rules")).findFirst().orElseThrow();
    List<Map<String, Object>> volumes = at(pod, "volumes");
    Map<String, Object> rulesVolume = volumes.stream().filter(v -> v.get("name").equals(rulesMount.get("name"))).findFirst().orElseThrow();
    String configMap = at(rulesVolume, "configMap", "name");
    assertTrue(docs.stream().anyMatch(d -> d.get("kind").equals("ConfigMap") && at(d, "metadata", "name").equals(configMap)),
        "the rules ConfigMap ships with the manifest");
    Map<String, String> data = at(docs.stream().filter(d -> d.get("kind").equals("ConfigMap")).findFirst().orElseThrow(), "data");
    assertFalse(data.isEmpty(), "the ConfigMap carries rule files");
    assertTrue(data.keySet().stream().allMatch(k -> k.endsWith(".yaml")), "rule files are *.yaml: " + data.keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar.yaml", "node-resolver.yaml"})
  @SuppressWarnings("unchecked")
  void httpPortBeyondLoopbackTakesTheAdminTokenFromASecret(String file) throws Exception {
    List<Map<String, Object>> docs = documents(file);
    List<Map<String, Object>> env = at(dnsgate(podSpec(docs)), "env");
    Map<String, Object> host = env.stream().filter(e -> e.get("name").equals("QUARKUS_HTTP_HOST")).findFirst().orElseThrow();
    assertEquals("0.0.0.0", host.get("value"), "probes reach the port from outside the pod");

    Map<String, Object> token = env.stream().filter(e -> e.get("name").equals("DNSGATE_ADMIN_TOKEN")).findFirst()
        .orElseThrow(() -> new AssertionError("without a token dnsgate refuses to start on 0.0.0.0"));
    String secret = at(token, "valueFrom", "secretKeyRef", "name");
    String key = at(token, "valueFrom", "secretKeyRef", "key");
    Map<String, Object> secretDoc = docs.stream()
        .filter(d -> d.get("kind").equals("Secret") && at(d, "metadata", "name").equals(secret)).findFirst()
        .orElseThrow(() -> new AssertionError("the Secret ships with the manifest"));
    assertTrue(((Map<String, Object>) at(secretDoc, "stringData")).containsKey(key));
  }
}
