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

import dev.kedge.core.MessageBus;

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
    public void busRoutesAndReports() throws Exception {
        BusFeatureChecks.roundTripAndListing(this, bus);
    }
}
