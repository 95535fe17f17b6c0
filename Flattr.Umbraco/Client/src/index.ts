// The bundle Umbraco loads from App_Plugins/Flattr/umbraco-package.json; it registers every exported manifest array.
export { manifests } from './manifests.js';
