/** Preview Service Worker: routes `/preview/<run>/...` to the runtime worker serving it (see src/host/http/preview.ts). */
import { installPreviewWorker, type PreviewWorkerScope } from "../src/host/http/preview";

declare const self: PreviewWorkerScope;

installPreviewWorker(self);
