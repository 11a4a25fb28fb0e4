package dev.kedge.itests;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/** The kedge-edge distribution boots kedge-edge (and not the cloud) with an active bus. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EdgeDistributionIT extends KedgeTestSupport {

    @Inject
    private MessageBus bus;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return distribution("edge");
    }

    @Test
    public void bootsTheEdgeFeatures() throws Exception {
        BusFeatureChecks.featureInstalled(features, "kedge-edge", "kedge-cloud");
    }

    @Test
    public void edgeHubWaitsForAJoin() throws Exception {
        String status = executeCommand("edgehub:status");
        org.junit.Assert.assertTrue("EdgeHub is up and not joined: " + status, status.contains("NOT_JOINED"));
        String modules = executeCommand("bus:modules");
        org.junit.Assert.assertTrue("EdgeHub is the bus module 'websocket' of group 'hub': " + modules,
                modules.matches("(?s).*websocket\\s*\\|\\s*hub\\s*\\|\\s*ACTIVE.*"));
    }

    @Test
    public void metaManagerStoresACloudObjectInTheSqliteFileAndEdgedIsUp() throws Exception {
        String modules = executeCommand("bus:modules");
        for (String module : new String[] {"metamanager\\s*\\|\\s*meta", "edged\\s*\\|\\s*edged"}) {
            org.junit.Assert.assertTrue(module + " active: " + modules,
                    modules.matches("(?s).*" + module + "\\s*\\|\\s*ACTIVE.*"));
        }
        Message insert = Message.create(ModuleNames.EDGECONTROLLER, ModuleNames.ROUTE_RESOURCE, Operations.INSERT,
                "default/configmap/exam-cm", MessageCodec.mapper().readTree(
                        "{\"metadata\":{\"name\":\"exam-cm\",\"namespace\":\"default\",\"uid\":\"u-1\","
                        + "\"resourceVersion\":\"7\"},\"data\":{\"k\":\"v\"}}")).withResourceVersion("7");
        bus.send(ModuleNames.METAMANAGER, insert);
        String row = "";
        for (int i = 0; i < 100 && !row.contains("\"k\""); i++) { // "no meta row with key …exam-cm" names it too
            Thread.sleep(100);
            row = executeCommand("meta:get default/configmap/exam-cm");
        }
        org.junit.Assert.assertTrue("stored: " + row, row.contains("\"k\"") && row.contains("exam-cm"));
        String store = executeCommand("store:info");
        org.junit.Assert.assertTrue("the SQLite file is in the data dir: " + store, store.contains("edgecore.db"));
        String node = executeCommand("edged:node");
        org.junit.Assert.assertTrue("edged waits for the cloud link: " + node, !node.isBlank());
    }

    @Test
    public void busRoutesAndReports() throws Exception {
        BusFeatureChecks.roundTripAndListing(this, bus);
    }
}
