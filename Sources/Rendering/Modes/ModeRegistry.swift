extension RenderMode {
    /// Every mode `vis` renders, in the order of `--help`, of the `all` mosaic and of the
    /// gallery. Adding a mode: its own file under `Modes/` and one entry here.
    public static let registered: [RenderMode] = [
        .axial,
        .self,
        .coord,
        .glimpse,
        .patch,
        .cls,
        .rollout,
        .mask,
        .all,
    ]
}
