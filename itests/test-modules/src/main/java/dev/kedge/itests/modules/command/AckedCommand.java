package dev.kedge.itests.modules.command;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.itests.modules.AckRecorder;

/** What the edge acked, as CloudHub reported it. */
@Service
@Command(scope = "itest", name = "acked", description = "Write '<key> <resourceVersion>' per acked object to a file")
public class AckedCommand implements Action {

    @Reference(optional = true)
    private AckRecorder recorder;

    @Argument(index = 0, name = "file", description = "Where to write the acked versions", required = true)
    private String file;

    @Override
    public Object execute() throws Exception {
        if (recorder == null) {
            throw new IllegalStateException("not active here: configure PID " + AckRecorder.PID);
        }
        System.out.println(recorder.dump(Path.of(file)));
        return null;
    }
}
