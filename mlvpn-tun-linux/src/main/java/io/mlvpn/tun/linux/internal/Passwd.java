package io.mlvpn.tun.linux.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct passwd} of {@code <pwd.h>}; 48 bytes on LP64. */
@FieldOrder({"pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"})
public class Passwd extends CStruct {
    /** char *. */
    public Pointer pw_name;
    /** char *. */
    public Pointer pw_passwd;
    /** uid_t. */
    public int pw_uid;
    /** gid_t. */
    public int pw_gid;
    /** char *. */
    public Pointer pw_gecos;
    /** char *. */
    public Pointer pw_dir;
    /** char *. */
    public Pointer pw_shell;

    /** Zeroes. */
    public Passwd() {
    }
}
