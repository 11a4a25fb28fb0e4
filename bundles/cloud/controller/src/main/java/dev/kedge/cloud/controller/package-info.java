/** EdgeController: edge nodes' pods, configmaps and secrets down to CloudHub; node, lease and pod status up to the API server. */
@Export
@Version("1.0.0")
package dev.kedge.cloud.controller;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
