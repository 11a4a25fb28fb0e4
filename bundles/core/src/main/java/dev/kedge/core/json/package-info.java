/**
 * JSON without Jackson's {@code ObjectMapper}: {@link dev.kedge.core.json.Json} reads text into Jackson's tree model
 * and writes trees back, on jackson-core's streaming parser and generator. The edge uses only this, so databind's
 * (de)serializer machinery is never loaded there.
 */
@Export
@Version("1.0.0")
package dev.kedge.core.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
