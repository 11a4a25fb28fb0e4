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

/** The kedge-cloud distribution boots kedge-cloud (and not the edge) with an active bus. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CloudDistributionIT extends KedgeTestSupport {

    @Inject
    private MessageBus bus;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return distribution("cloud");
    }

    @Test
    public void bootsTheCloudFeatures() throws Exception {
        BusFeatureChecks.featureInstalled(features, "kedge-cloud", "kedge-edge");
    }

    @Test
    public void busRoutesAndReports() throws Exception {
        BusFeatureChecks.roundTripAndListing(this, bus);
    }
}
