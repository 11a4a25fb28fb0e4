/**
 * The protocol driver API: what a bundle implements to let the device host read and write devices of one protocol.
 * <p>
 * A {@link dev.kedge.device.driver.Driver} is an OSGi service with the property {@value
 * dev.kedge.device.driver.Driver#PROTOCOL} = the protocol it serves, the value of a KubeEdge Device's
 * {@code spec.protocol.protocolName} (e.g. {@code modbus}). The host connects once per device, with the Device's
 * {@code spec.protocol.configData}; it reads a batch of {@link dev.kedge.device.driver.Channel}s (one per Device
 * property, configured by the property's {@code visitors.configData}) and writes one channel at a time. Every channel
 * of a read gets its own {@link dev.kedge.device.driver.ChannelRecord}: a value with its timestamp, or the reason it
 * failed; a failing channel never fails its neighbours.
 * <p>
 * Mapping from Eclipse Kura's driver API ({@code org.eclipse.kura.driver}), for an adapter in either direction:
 * <table>
 * <caption>Kura to Kedge</caption>
 * <tr><th>Kura</th><th>Kedge</th></tr>
 * <tr><td>{@code Driver} (one instance per configured device, {@code connect()}/{@code disconnect()})</td>
 * <td>{@link dev.kedge.device.driver.Driver} (one service per protocol) whose
 * {@link dev.kedge.device.driver.Driver#connect} returns a {@link dev.kedge.device.driver.DeviceConnection} per
 * device; {@link dev.kedge.device.driver.DeviceConnection#close()} is Kura's {@code disconnect()}</td></tr>
 * <tr><td>driver instance configuration</td><td>{@code spec.protocol.configData}</td></tr>
 * <tr><td>{@code ChannelRecord} channel configuration ({@code Map<String,Object>})</td>
 * <td>{@link dev.kedge.device.driver.Channel#config()} = the property visitor's {@code configData}</td></tr>
 * <tr><td>{@code Driver.read(List<ChannelRecord>)}</td>
 * <td>{@link dev.kedge.device.driver.DeviceConnection#read} returning one record per channel</td></tr>
 * <tr><td>{@code Driver.write(List<ChannelRecord>)}</td>
 * <td>{@link dev.kedge.device.driver.DeviceConnection#write} (one channel: KubeEdge writes one desired value)</td></tr>
 * <tr><td>{@code registerChannelListener}/{@code unregisterChannelListener}</td>
 * <td>{@link dev.kedge.device.driver.DeviceConnection#listen}, undone by closing the connection</td></tr>
 * <tr><td>{@code ChannelStatus} ({@code SUCCESS}/{@code FAILURE}, {@code exception}, message)</td>
 * <td>{@link dev.kedge.device.driver.ChannelRecord#ok()} and {@link dev.kedge.device.driver.ChannelRecord#reason()}
 * </td></tr>
 * <tr><td>{@code TypedValue} / {@code DataType}</td><td>the value as text, as a twin holds it;
 * {@link dev.kedge.device.driver.Channel#type()} = the DeviceModel property's {@code type}</td></tr>
 * <tr><td>{@code ChannelRecord.getTimestamp()}</td><td>{@link dev.kedge.device.driver.ChannelRecord#timestamp()}
 * </td></tr>
 * <tr><td>{@code ConnectionException}</td><td>{@link dev.kedge.device.driver.DriverException}</td></tr>
 * </table>
 */
@Export
@Version("1.0.0")
package dev.kedge.device.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
