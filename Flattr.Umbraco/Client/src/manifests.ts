/** The composition the Umbraco package's installer creates; documents whose type includes it take part in Flattr. */
export const FLATTR_COMPOSITION_ALIAS = 'flattr';

export const manifests: Array<UmbExtensionManifest> = [
	{
		type: 'workspaceView',
		alias: 'Flattr.WorkspaceView.Document',
		name: 'Flattr document workspace view',
		element: () => import('./workspace-view.element.js'),
		weight: 50,
		meta: { label: 'Flattr', pathname: 'flattr', icon: 'icon-coin' },
		conditions: [
			{ alias: 'Umb.Condition.WorkspaceAlias', match: 'Umb.Workspace.Document' },
			// The structure's aliases include its compositions, so this matches every Flattr-enabled document type.
			{ alias: 'Umb.Condition.WorkspaceContentTypeAlias', match: FLATTR_COMPOSITION_ALIAS },
		],
	},
	{
		type: 'dashboard',
		alias: 'Flattr.Dashboard.Settings',
		name: 'Flattr settings dashboard',
		element: () => import('./dashboard.element.js'),
		weight: 10,
		meta: { label: 'Flattr', pathname: 'flattr' },
		conditions: [{ alias: 'Umb.Condition.SectionAlias', match: 'Umb.Section.Settings' }],
	},
];
