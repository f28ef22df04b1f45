/** The journal writer's file-system seam over node:fs, counting fsyncs and failing on demand. */
import * as fs from 'node:fs';
import {
  type JournalFileSystem,
  nodeJournalFileSystem,
} from '../../../fargate/journal/journal-file-system.ts';

export interface FaultyJournalFs extends JournalFileSystem {
  /** fsyncs of files and of folders that returned. */
  fileSyncs: number;
  folderSyncs: number;
  /** Faults armed: the next N fsyncs throw; the next write writes half its bytes then throws. */
  failFsyncs: number;
  failNextWriteHalfway: boolean;
  /** Faults that actually fired. */
  fired: number;
}

export function faultyJournalFs(): FaultyJournalFs {
  const folders = new Set<number>();
  const faulty: FaultyJournalFs = {
    ...nodeJournalFileSystem,
    fileSyncs: 0,
    folderSyncs: 0,
    failFsyncs: 0,
    failNextWriteHalfway: false,
    fired: 0,
    openSync(path, flags) {
      const fd = nodeJournalFileSystem.openSync(path, flags);
      if (fs.fstatSync(fd).isDirectory()) folders.add(fd);
      return fd;
    },
    closeSync(fd) {
      folders.delete(fd);
      nodeJournalFileSystem.closeSync(fd);
    },
    fsyncSync(fd) {
      if (faulty.failFsyncs > 0) {
        faulty.failFsyncs--;
        faulty.fired++;
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      }
      nodeJournalFileSystem.fsyncSync(fd);
      if (folders.has(fd)) faulty.folderSyncs++;
      else faulty.fileSyncs++;
    },
    writeSync(fd, buffer, offset, length) {
      if (faulty.failNextWriteHalfway && length > 1) {
        faulty.failNextWriteHalfway = false;
        faulty.fired++;
        nodeJournalFileSystem.writeSync(fd, buffer, offset, Math.floor(length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return nodeJournalFileSystem.writeSync(fd, buffer, offset, length);
    },
  };
  return faulty;
}
