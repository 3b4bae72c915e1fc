import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { downloadBlob } from './download';

/** Hands a finished file to the user. The browser download by default; tests keep the files. */
export type FileSaver = (blob: Blob, filename: string) => void;

const FileSaverContext = createContext<FileSaver>(downloadBlob);

export function FileSaverProvider({ saver, children }: { saver: FileSaver; children: ReactNode }) {
  return <FileSaverContext value={saver}>{children}</FileSaverContext>;
}

export function useFileSaver(): FileSaver {
  return useContext(FileSaverContext);
}
