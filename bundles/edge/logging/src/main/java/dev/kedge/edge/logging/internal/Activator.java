package dev.kedge.edge.logging.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.ops4j.pax.logging.PaxLoggingService;
import org.ops4j.pax.logging.spi.PaxAppender;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.osgi.service.log.LogService;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Registers the back-end where pax-logging-api and Karaf look for one (PaxLoggingService, the OSGi Log Service,
 * configuration PID org.ops4j.pax.logging), and hands it the OSGi appenders as they come and go. A bundle activator,
 * not DS: it starts at start level 8 with pax-logging-api, before SCR exists, so that start-up is logged.
 */
public final class Activator implements BundleActivator {
    private LogBackend backend;
    private ServiceRegistration<?> registration;
    private ServiceTracker<PaxAppender, PaxAppender> appenders;

    @Override
    public void start(BundleContext context) {
        backend = new LogBackend(LogConfig.defaults());
        appenders = new ServiceTracker<>(context, PaxAppender.class, null) {
            @Override
            public PaxAppender addingService(ServiceReference<PaxAppender> ref) {
                PaxAppender a = context.getService(ref);
                if (a != null) {
                    backend.addAppender(a);
                }
                return a;
            }

            @Override
            public void removedService(ServiceReference<PaxAppender> ref, PaxAppender a) {
                backend.removeAppender(a);
                context.ungetService(ref);
            }
        };
        appenders.open();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_PID, LogConfig.PID);
        props.put(Constants.SERVICE_DESCRIPTION, "Kedge's pax-logging back-end");
        registration = context.registerService(new String[] {PaxLoggingService.class.getName(),
            LogService.class.getName(), LoggerFactory.class.getName(), ManagedService.class.getName()}, backend, props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        appenders.close();
        backend.close();
    }
}
